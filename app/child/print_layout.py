"""How a council's pledges fit its printables: the bank-card-sized promise card above all.

A council may make 8 promises or 80, of 40 characters or 1,000, and a card is 85.6 by 53.98 mm.
So the card's back is planned before it is drawn: the largest type from 8 pt down to 7 pt (the
least that prints readably) at which every pledge fits one card; else more cards at 7 pt; else,
when even that would make a pack of cards, the card says how many promises there are and where
to read them all, and every one is printed in full on the pages after it. Never a silent cut.

The plan estimates text width on the generous side (0.55 em a character; Noto Sans, Arial and
Segoe UI set English nearer 0.5 em), and the print style sheet lets a card grow rather than hide
what does not fit, so a wrong guess shows as a taller card, never as a missing promise. The
browser tests print the card to PDF to check it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MM_PER_PT = 25.4 / 72
CARD_WIDTH_MM = 85.6
CARD_HEIGHT_MM = 53.98
PADDING_MM = 2.0  # each side, inside the 2 px border
BORDER_MM = 2 * 25.4 / 96
LIST_INDENT_MM = 3.0
LINE_HEIGHT = 1.15
CHARACTER_EM = 0.55  # the width of an average character, on the generous side
SIZES_PT = (8.0, 7.5, 7.0)  # largest first; 7 pt is the least for print
HEADING_MARGIN_MM = 1.0
MOST_CARDS = 3  # of promises, beside the front: more is a pack, not a card


def heading_pt(size: float) -> float:
    return size * 1.2  # the print style sheet's `.promise-card h2`


@dataclass(frozen=True)
class CardPlan:
    """The type size, in tenths of a point (a CSS class), and which pledges each side holds
    (indexes into the pledges given). `in_full_after` when the card only says where they are."""

    tenths: int
    sides: tuple[tuple[int, ...], ...]
    in_full_after: bool = False

    @property
    def size_pt(self) -> float:
        return self.tenths / 10


def lines(text: str, size: float, width_mm: float) -> int:
    """Lines `text` takes at `size` in `width_mm`, wrapped at spaces as a browser wraps it."""
    per_line = max(1, math.floor(width_mm / MM_PER_PT / (CHARACTER_EM * size)))
    count, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            count, used = count + 1, 0
        # A word longer than a line breaks across lines (overflow-wrap: break-word).
        while len(word) > per_line:
            count, word = count + 1, word[per_line:]
        used = used + (1 if used else 0) + len(word)
    return count


def _height(size: float, heading: str, pledges: Sequence[str]) -> float:
    inner = CARD_WIDTH_MM - 2 * (PADDING_MM + BORDER_MM)
    top = lines(heading, heading_pt(size), inner) * heading_pt(size) * LINE_HEIGHT * MM_PER_PT
    body = sum(lines(p, size, inner - LIST_INDENT_MM) for p in pledges)
    return top + HEADING_MARGIN_MM + body * size * LINE_HEIGHT * MM_PER_PT


def _room() -> float:
    return CARD_HEIGHT_MM - 2 * (PADDING_MM + BORDER_MM)


def plan_card(pledges: Sequence[str], heading: str, heading_continued: str) -> CardPlan:
    """Where the pledges go on the card's back: see the module's docstring.

    `heading` tops the back of a card that holds them all; `heading_continued` each card
    when they take more than one (its longest form, such as "Our promises to you, card 3 of 3")."""
    everything = tuple(range(len(pledges)))
    for size in SIZES_PT:
        if _height(size, heading, pledges) <= _room():
            return CardPlan(round(size * 10), (everything,))
    size = SIZES_PT[-1]
    sides: list[list[int]] = [[]]
    for index, pledge in enumerate(pledges):
        held = [pledges[i] for i in sides[-1]]
        if _height(size, heading_continued, [*held, pledge]) > _room():
            if not held or _height(size, heading_continued, [pledge]) > _room():
                return CardPlan(round(size * 10), (), in_full_after=True)  # one alone is too long
            sides.append([])
        sides[-1].append(index)
    if len(sides) > MOST_CARDS:
        return CardPlan(round(size * 10), (), in_full_after=True)
    return CardPlan(round(size * 10), tuple(tuple(side) for side in sides))


def density(characters: int, roomy: int, compact: int) -> str:
    """A poster's type: "roomy" (16 pt) up to `roomy` characters (or lines), "compact" up to
    `compact`, else "dense"; a CSS class, so a page of many pledges still reads."""
    if characters <= roomy:
        return "roomy"
    return "compact" if characters <= compact else "dense"
