"""The printables of any council, printed to PDF by Chromium: every pledge is on paper, the
card stays the size of a bank card at 7 pt or more, and nothing is cut off."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from app.council import load
from tests.e2e.support import Live, live_server, printed_on_a4
from tests.other_councils import council_with, leeds, write

MM = 96 / 25.4  # CSS px in a millimetre
SMALLEST_PT = 7
COUNCILS = {
    "leeds": leeds(),
    "twelve_medium": council_with(12, length=110),
    "ten_long": council_with(10, length=400, forms=("card", "poster", "agreement")),
    "eighty_long": council_with(80, length=400, sections=6, forms=("card", "poster")),
}


@pytest.fixture(scope="module", params=list(COUNCILS))
def council(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Live, Any]]:
    folder = tmp_path_factory.mktemp(request.param)
    path = write(folder, COUNCILS[request.param])
    with live_server(folder, COUNCIL_FILE=str(path)) as live:
        yield live, load(path)


def printed(page: Page, url: str, folder: Path) -> tuple[str, int]:
    """The page at `url` printed on A4 as Chromium prints it: its text and its pages."""
    page.goto(url)
    return printed_on_a4(page, folder)


def page_text(folder: Path, number: int) -> str:
    """The text of one page of the last PDF printed into `folder`."""
    pdf = folder / "printed.pdf"
    text = subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-raw", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(text.split())


# Noto Sans (what Debian's Chromium prints with here) is 1.362 em from ascent to descent, the
# height pdftotext gives a word: a word's height over this is its type size in points.
NOTO_HEIGHT_EM = 1.362


def smallest_type_pt(folder: Path) -> float:
    """The smallest type on the last PDF printed into `folder`, in points."""
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(folder / "printed.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    heights = [
        float(bottom) - float(top)
        for top, bottom in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', boxes)
    ]
    return min(heights) / NOTO_HEIGHT_EM


def drawn(folder: Path, number: int) -> tuple[float, float]:
    """One page of the last PDF printed into `folder`, drawn by pdftoppm at 20 dpi: the share of
    the page the printing spans (the box around all that is not white), and the share in colour
    (not white, grey or black). A text box in black on white on a third of the page, as the
    posters once were, is about (0.33, 0)."""
    subprocess.run(
        ["pdftoppm", "-r", "20", "-f", str(number), "-l", str(number), "-singlefile",
         str(folder / "printed.pdf"), str(folder / "drawn")],
        check=True,
    )  # fmt: skip
    _, width, height, _, data = (folder / "drawn.ppm").read_bytes().split(maxsplit=4)
    columns, rows = int(width), int(height)
    pixels = data[len(data) - columns * rows * 3 :]
    inked = [
        (i // columns, i % columns)
        for i in range(columns * rows)
        if min(pixels[i * 3 : i * 3 + 3]) < 245
    ]
    coloured = sum(
        1
        for i in range(columns * rows)
        if max(pixels[i * 3 : i * 3 + 3]) - min(pixels[i * 3 : i * 3 + 3]) > 40
    )
    if not inked:
        return 0.0, 0.0
    ys, xs = [y for y, _ in inked], [x for _, x in inked]
    spans = (max(ys) - min(ys) + 1) * (max(xs) - min(xs) + 1)
    return spans / (columns * rows), coloured / (columns * rows)


def same_spaces(text: str) -> str:
    return " ".join(text.split())


CARDS = """() => [...document.querySelectorAll('.promise-card')].map(card => {
  const box = card.getBoundingClientRect();
  const sizes = [card, ...card.querySelectorAll('*')]
    .map(e => parseFloat(getComputedStyle(e).fontSize));
  const last = card.lastElementChild.getBoundingClientRect();
  const inner = box.bottom - parseFloat(getComputedStyle(card).paddingBlockEnd)
                - parseFloat(getComputedStyle(card).borderBlockEndWidth);
  return {width: box.width, height: box.height, smallest: Math.min(...sizes),
          overflow: last.bottom - inner, scroll: card.scrollHeight - card.clientHeight};
})"""


def test_the_card_holds_every_pledge_at_a_readable_size(
    page: Page, council: tuple[Live, Any], tmp_path: Path
) -> None:
    live, adopted = council
    text, pages = printed(page, f"{live.url}/print/card", tmp_path)
    if len(adopted.promises) <= 12 and sum(len(p.words("card")) for p in adopted.promises) < 1600:
        assert pages == 1, "both sides of the card, or of each card, on one A4 page"
    missing = [p.key for p in adopted.promises if same_spaces(p.words("card")) not in text]
    assert not missing, f"not on paper: {missing}"
    # On paper, both sides: no word of the card (its front included) under 7 pt.
    assert smallest_type_pt(tmp_path) >= SMALLEST_PT - 0.05
    page.emulate_media(media="print")
    cards = page.evaluate(CARDS)
    assert len(cards) >= 2
    for card in cards:
        assert abs(card["width"] - 85.6 * MM) < 1, card
        assert abs(card["height"] - 53.98 * MM) < 1, (
            card
        )  # it grows only when a promise would not fit
        assert card["overflow"] <= 0.5 and card["scroll"] <= 0, card
        assert card["smallest"] >= SMALLEST_PT * 96 / 72 - 0.01, card
    backs = page.locator(".promise-card.back")
    on_cards = [same_spaces(li) for li in page.locator(".promise-card.back li").all_inner_texts()]
    if page.locator(".promise-full-list").count():
        assert backs.count() == 1
        assert f"We make {len(adopted.promises)} promises to you" in same_spaces(backs.inner_text())
        assert "www.leeds.gov.uk/OurPromise" in same_spaces(backs.inner_text())
        in_full = page.locator(".promise-full-list li").all_inner_texts()
        assert [same_spaces(li) for li in in_full] == [
            same_spaces(p.words("card")) for p in adopted.promises
        ]
    else:
        assert on_cards == [same_spaces(p.words("card")) for p in adopted.promises]


def test_leeds_fits_one_card_and_more_pledges_take_more_cards(
    page: Page, council: tuple[Live, Any]
) -> None:
    live, adopted = council
    page.goto(f"{live.url}/print/card")
    backs = page.locator(".promise-card.back").count()
    full_list = page.locator(".promise-full-list").count()
    expected = {8: (1, 0), 12: (2, 0), 10: (1, 1), 80: (1, 1)}[len(adopted.promises)]
    assert (backs, full_list) == expected
    if backs > 1:
        headings = page.locator(".promise-card.back h2").all_inner_texts()
        assert headings == [
            f"Our promises to you, card {n} of {backs}" for n in range(1, backs + 1)
        ]


def test_the_posters_and_the_agreement_print_every_pledge(
    page: Page, council: tuple[Live, Any], tmp_path: Path
) -> None:
    live, adopted = council
    posters, pages = printed(page, f"{live.url}/print/posters", tmp_path)
    for promise in adopted.promises:
        for words in (promise.words("poster"), promise.words("card")):
            assert same_spaces(words) in posters, promise.key
        for line in promise.easy_read_lines():
            assert same_spaces(line.text) in posters, (promise.key, line.text)
    posters_count = 3 + bool(adopted.characters)  # stars, animals (with characters), symbols, list
    if sum(len(p.words("card")) for p in adopted.promises) <= 1600:  # short pledges, like Leeds'
        assert pages == posters_count, "each poster on a page of its own"
        # Each fills its page, in colour, as the council's own do: not a text box in black
        # on white on a third of a page.
        for number in range(1, pages + 1):
            spans, coloured = drawn(tmp_path, number)
            assert spans >= 0.75 and coloured >= 0.03, (number, spans, coloured)
            print("DRAWN", number, spans, coloured)
        headings = [adopted.print.poster, adopted.print.symbol_poster, adopted.print.list_poster]
        for heading in headings:  # each on its page: the symbol poster spills nothing over
            on = [n for n in range(1, pages + 1) if heading in page_text(tmp_path, n)]
            assert on, heading
    else:
        assert pages > posters_count  # long ones flow on to more pages, never cut
    agreement, agreement_pages = printed(page, f"{live.url}/print/agreement", tmp_path)
    assert "A photo or drawing of me" in agreement
    if sum(len(p.words("agreement")) for p in adopted.promises) <= 900:
        assert agreement_pages == 1
        spans, coloured = drawn(tmp_path, 1)
        assert spans >= 0.75 and coloured >= 0.03, (spans, coloured)
    missing = [
        p.key for p in adopted.promises if same_spaces(p.words("agreement")) not in agreement
    ]
    assert not missing
    page.emulate_media(media="print")
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('.agreement li, .poster li')]"
        ".map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) >= 11 * 96 / 72 - 0.01
    if sum(len(p.words("card")) for p in adopted.promises) <= 1600:
        # Big type on the posters when the pledges are short: 12 pt or more (the list poster,
        # which says the most), 14 when there is room, headings 19.
        page.goto(f"{live.url}/print/posters")
        page.emulate_media(media="print")
        smallest = page.evaluate(
            "() => [...document.querySelectorAll('.poster')].map(p => [p.className,"
            " Math.min(...[...p.querySelectorAll('li')]"
            ".map(e => parseFloat(getComputedStyle(e).fontSize))),"
            " parseFloat(getComputedStyle(p.querySelector('h2')).fontSize)])"
        )
        for name, words, heading in smallest:
            least = 14 if "roomy" in name else 12
            assert words >= least * 96 / 72 - 0.05 and heading >= 19 * 96 / 72 - 0.05, name
