"""The child's face: the promises in every form, help, privacy, and the quick exit.

Each module registers its pages on the one blueprint when imported here.
"""

from app.child import (
    choose,
    display,
    installing,
    language,
    my_card,
    my_messages,
    news,
    outage,
    pages,
    printing,
    promises,
    quick_exit,
    read_aloud,
    sending_later,
    tell_us,
    you_said,
)
from app.child.blueprint import bp

__all__ = [
    "bp",
    "choose",
    "display",
    "installing",
    "language",
    "my_card",
    "my_messages",
    "news",
    "outage",
    "pages",
    "printing",
    "promises",
    "quick_exit",
    "read_aloud",
    "sending_later",
    "tell_us",
    "you_said",
]
