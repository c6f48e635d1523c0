"""The promise card's plan: the type size and how many cards a council's pledges take."""

from __future__ import annotations

from app.child.print_layout import MOST_CARDS, CardPlan, lines, plan_card
from app.council import load
from tests.other_councils import long_pledge

HEADING = "Our promises to you"
CONTINUED = "Our promises to you, card 3 of 3"


def plan(pledges: list[str]) -> CardPlan:
    return plan_card(pledges, HEADING, CONTINUED)


def test_lines_wrap_at_spaces_and_break_a_word_longer_than_a_line() -> None:
    # At 7 pt a 75 mm line holds 55 characters of 0.55 em.
    assert lines("word " * 11, 7, 75) == 1
    assert lines("word " * 12, 7, 75) == 2
    assert lines("x" * 120, 7, 75) == 3


def test_a_few_short_pledges_get_the_largest_type() -> None:
    assert plan(["We promise to be kind."] * 3).tenths == 80


def test_leeds_eight_fit_one_card_at_7_pt() -> None:
    result = plan([p.words("card") for p in load().promises])
    assert (result.tenths, result.sides, result.in_full_after) == (70, (tuple(range(8)),), False)


def test_more_pledges_take_more_cards_in_order_never_more_than_the_most() -> None:
    pledges = [long_pledge(n, 110) for n in range(1, 13)]
    result = plan(pledges)
    assert result.tenths == 70 and not result.in_full_after
    assert 2 <= len(result.sides) <= MOST_CARDS
    assert [i for side in result.sides for i in side] == list(range(12))


def test_too_many_words_for_a_few_cards_go_in_full_after_the_card() -> None:
    assert plan([long_pledge(n) for n in range(1, 11)]).in_full_after
    assert plan([long_pledge(n, 110) for n in range(1, 81)]).in_full_after
    assert plan(["We promise. " * 90]).in_full_after  # one pledge longer than a card
