"""The child's face: the promises in every form, help, privacy, and the quick exit.

Each module registers its pages on the one blueprint when imported here.
"""

from app.child import (
    choose,
    my_card,
    my_messages,
    outage,
    pages,
    printing,
    promises,
    quick_exit,
    tell_us,
)
from app.child.blueprint import bp

__all__ = [
    "bp",
    "choose",
    "my_card",
    "my_messages",
    "outage",
    "pages",
    "printing",
    "promises",
    "quick_exit",
    "tell_us",
]
