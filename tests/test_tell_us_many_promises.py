"""The "which promise" step of a council with many promises under headings: grouped by heading,
titles only, folded so a phone shows the question first, and every promise can be chosen."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from tests.helpers import choose, migrate, soup
from tests.journey import answer
from tests.other_councils import app_for, council_with, leeds, long_pledge

SECTIONS = 6
PLEDGES = 80


@pytest.fixture
def many(tmp_path: Path) -> Iterator[Flask]:
    """The app of a council of 80 long pledges in 6 sections, on its own database."""
    url = f"sqlite:///{tmp_path / 'many.sqlite3'}"
    migrate(url)
    app = app_for(tmp_path, url, council_with(PLEDGES, length=400, sections=SECTIONS))
    yield app
    with app.app_context():
        db.engine.dispose()


def at_the_step(app: Flask, symbols: bool = False) -> FlaskClient:
    client = app.test_client()
    choose(client, "10_plus", symbols=symbols)
    assert answer(client, "what", kind="not_kept").status_code == 303
    return client


@pytest.mark.parametrize("symbols", [False, True], ids=["words", "symbols"])
def test_the_promises_are_grouped_by_heading_by_their_titles(many: Flask, symbols: bool) -> None:
    response = at_the_step(many, symbols).get("/tell-us/promises")
    page = soup(response)
    sections = page.select("details.promise-section")
    assert [s.summary.get_text(strip=True) for s in sections] == [
        f"Part {n} of our promise" for n in range(1, SECTIONS + 1)
    ]
    assert [s.has_attr("open") for s in sections] == [True] + [False] * (SECTIONS - 1)
    chosen = 0
    for n, section in enumerate(sections, start=1):
        group = section.select_one("fieldset.promise-section-choices")
        assert group.legend.get_text(strip=True) == f"Part {n} of our promise"
        labels = [label.get_text(strip=True) for label in group.select("label")]
        assert labels and all(label.startswith("Pledge ") for label in labels)
        chosen += len(labels)
    assert chosen == PLEDGES
    boxes = page.select("input[name=promises]")
    assert [box["id"] for box in boxes] == [f"promises-{n}" for n in range(PLEDGES + 1)]
    assert boxes[-1]["value"] == "other" and not boxes[-1].find_parent("details")
    text = page.get_text(" ", strip=True)
    assert "Pledge 1 in short" in text and long_pledge(1) not in text
    assert "we promise to listen to you carefully" not in text  # titles only, no long words
    html = response.get_data()
    assert len(gzip.compress(html)) < 12 * 1024, len(gzip.compress(html))


def test_every_promise_can_be_chosen_and_checked(many: Flask) -> None:
    client = at_the_step(many)
    every = [f"pledge_{n}" for n in range(1, PLEDGES + 1)]
    response = answer(client, "promises", promises=[*every, "other"])
    assert response.status_code == 303 and response.headers["Location"] == "/tell-us/words"
    page = soup(client.get("/tell-us/promises?change=1"))
    checked = [box["value"] for box in page.select("input[name=promises][checked]")]
    assert checked == [*every, "other"]
    # A heading holding a choice stays open, so nothing chosen is hidden.
    assert all(s.has_attr("open") for s in page.select("details.promise-section"))


def test_a_choice_under_a_folded_heading_opens_that_heading_only(many: Flask) -> None:
    client = at_the_step(many)
    answer(client, "promises", promises=[f"pledge_{PLEDGES}"])
    page = soup(client.get("/tell-us/promises?change=1"))
    sections = page.select("details.promise-section")
    assert [s.has_attr("open") for s in sections] == [True] + [False] * (SECTIONS - 2) + [True]


def test_the_error_links_to_the_first_choice_which_is_never_folded_away(many: Flask) -> None:
    client = at_the_step(many)
    page = soup(answer(client, "promises"))
    assert page.select_one(".error-summary a")["href"] == "#promises-0"
    first = page.select_one("#promises-0")
    assert first.find_parent("details").has_attr("open")


def test_a_few_promises_under_headings_are_not_folded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'few.sqlite3'}"
    migrate(url)
    app = app_for(tmp_path, url, council_with(10, sections=2))
    page = soup(at_the_step(app).get("/tell-us/promises"))
    assert not page.select("main details")  # the header's Menu is the only one
    legends = [
        f.legend.get_text(strip=True) for f in page.select("fieldset.promise-section-choices")
    ]
    assert legends == ["Part 1 of our promise", "Part 2 of our promise"]
    with app.app_context():
        db.engine.dispose()


def test_a_few_promises_without_sections_are_one_list_of_titles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'leeds.sqlite3'}"
    migrate(url)
    data = leeds()  # eight promises, no sections, whatever council this run is about
    app = app_for(tmp_path, url, data)
    client = app.test_client()
    choose(client, "5_to_9")
    answer(client, "what", kind="kept_well")
    page = soup(client.get("/tell-us/promises"))
    assert not page.select("main details, fieldset.promise-section-choices")
    labels = [label.get_text(strip=True) for label in page.select("label")]
    assert labels == [p["title"] for p in data["promises"]] + ["Something else"]
    with app.app_context():
        db.engine.dispose()
