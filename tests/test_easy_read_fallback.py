"""A promise without easy read, in symbol mode: its words in short lines, a symbol beside each,
never one long sentence beside one star, and never a word dropped or changed."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.council import EASY_READ_WIDTH, FALLBACK_SYMBOL, load, short_lines
from tests.helpers import choose, soup
from tests.other_councils import app_for, council_with, long_pledge, write

LONG = (
    "We promise to make sure that you are always listened to, that your views are taken "
    "seriously and acted upon wherever possible, and that you are given the information you "
    "need to understand decisions that affect your life; we will explain what is happening and "
    "why, and we will make sure you know who to talk to if you are unhappy."
)


def rejoins(lines: tuple[str, ...], text: str) -> bool:
    """The lines, with only whitespace between them, are the text exactly."""
    pattern = r"\s+".join(re.escape(line) for line in lines)
    return re.fullmatch(pattern, text.strip()) is not None


def test_a_long_sentence_is_cut_at_its_clause_breaks() -> None:
    lines = short_lines(LONG)
    assert lines == (
        "We promise to make sure that you are always listened to,",
        "that your views are taken seriously and acted upon wherever possible,",
        "and that you are given the information you need",
        "to understand decisions that affect your life;",
        "we will explain what is happening and why,",
        "and we will make sure you know who to talk to if you are unhappy.",
    )
    assert rejoins(lines, LONG)


def test_a_line_a_sentence_and_short_words_stay_whole() -> None:
    assert short_lines("We listen. We care!  Do you know? (We do.) Yes.") == (
        "We listen.",
        "We care!",
        "Do you know?",
        "(We do.)",
        "Yes.",
    )
    assert short_lines("We promise to celebrate your achievements.") == (
        "We promise to celebrate your achievements.",
    )


def test_without_a_clause_break_the_cut_is_at_the_space_nearest_the_middle() -> None:
    text = " ".join(["word"] * 30)  # 149 characters, no punctuation
    assert short_lines(text) == (" ".join(["word"] * 15),) * 2
    assert short_lines("x" * 200) == ("x" * 200,)  # one word is never cut


WORDS = st.sampled_from(
    ["we", "promise", "and", "And", "you,", "safe;", "care:", "well.", "now!", "why?", "(yes.)"]
)
SPACES = st.sampled_from([" ", "  ", "\n", "\t", " \u00a0"])


@st.composite
def council_like_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS | st.text(min_size=1, max_size=12), min_size=1, max_size=120))
    text = words[0]
    for word in words[1:]:
        text += draw(SPACES) + word
    return text


@given(council_like_text() | st.text(max_size=1200))
def test_no_word_is_ever_dropped_or_changed(text: str) -> None:
    lines = short_lines(text)
    assert rejoins(lines, text) if text.strip() else lines == ()
    assert all(line and line == line.strip() for line in lines)
    for line in lines:
        assert len(line) <= EASY_READ_WIDTH or not re.search(r"\s", line), line


def test_symbol_mode_shows_the_poster_words_in_short_lines_each_with_a_symbol(
    tmp_path: Path, sqlite_url: str
) -> None:
    data = council_with(3, length=400, forms=("card", "poster"))
    data["promises"][1]["poster"] = LONG
    client = app_for(tmp_path, sqlite_url, data).test_client()
    choose(client, "10_plus", symbols=True)
    page = soup(client.get("/promises"))
    promise = page.select(".easy-read-promise")[1]
    lines = [li.span.get_text() for li in promise.select(".easy-read li")]
    assert tuple(lines) == short_lines(LONG) and len(lines) == 6
    star = load(write(tmp_path, data)).promises[1].easy_read_lines()[0].symbol_file
    assert star == "2B50.svg" and FALLBACK_SYMBOL == "⭐"
    for li in promise.select(".easy-read li"):
        assert li.img["alt"] == "" and li.img["src"].endswith("#s-2B50")
    everything = page.select(".easy-read-promise .easy-read li span")
    assert all(len(span.get_text()) <= EASY_READ_WIDTH for span in everything)
    assert long_pledge(3) in " ".join(
        s.get_text() for s in page.select(".easy-read-promise")[2].select("span")
    )
