"""Plain child pages made once and kept (app/child/kept_pages.py): a kept page is exactly the
page made afresh, in every way of showing it, and nothing of one child is ever kept."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager

import brotli
import pytest
from flask import Flask, Response, request, template_rendered
from flask.testing import FlaskClient

from app.child import kept_pages
from app.compressed import CODINGS, Kept
from tests.helpers import COUNCIL, choose, csrf_token, post_form

AGES = ("under_5", "5_to_9", "10_plus")


def kept_urls(app: Flask) -> list[str]:
    """Every URL of every view marked @kept (a story for each of the council's characters)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not getattr(app.view_functions[rule.endpoint], "kept", False):
            continue
        if "key" in rule.arguments:
            values = {"page": 1} if "page" in rule.arguments else {}
            urls += [rule.build({"key": c.key, **values})[1] for c in COUNCIL.characters]  # type: ignore[index]
        else:
            urls.append(rule.rule)
    return urls


@contextmanager
def renders(app: Flask) -> Iterator[list[str]]:
    """The templates rendered meanwhile: none when a page came from memory."""
    made: list[str] = []

    def note(sender: Flask, template: object, context: object, **extra: object) -> None:
        made.append(str(getattr(template, "name", "")))

    template_rendered.connect(note, app)
    try:
        yield made
    finally:
        template_rendered.disconnect(note, app)


def test_the_plain_pages_are_kept(page_app: Flask) -> None:
    urls = kept_urls(page_app)
    # The pages that say nothing of the child; none that shows a form token or a message.
    assert {"/", "/promises", "/help", "/tell-us", "/print/card"} <= set(urls)
    assert not {u for u in urls if u.startswith(("/messages", "/tell-us/", "/my-card", "/choose"))}


@pytest.mark.parametrize("symbols", [False, True])
@pytest.mark.parametrize("age", AGES)
def test_a_kept_page_is_the_page_made_afresh(page_app: Flask, age: str, symbols: bool) -> None:
    afresh, keeping = page_app.test_client(), page_app.test_client()
    for client in (afresh, keeping):
        choose(client, age, symbols)
    for url in kept_urls(page_app):
        page_app.config["KEEP_PAGES"] = False
        expected = afresh.get(url)
        page_app.config["KEEP_PAGES"] = True
        first = keeping.get(url)
        with renders(page_app) as made:
            again = keeping.get(url)
        assert made == [], f"{url} was made again, not kept"
        assert expected.status_code == first.status_code == again.status_code == 200, url
        assert first.data == expected.data == again.data, url


def test_each_age_and_symbols_is_kept_apart(page_app: Flask) -> None:
    """A page kept for one child's choices is never shown to a child who chose otherwise."""
    pages = {}
    for age in AGES:
        for symbols in (False, True):
            client = page_app.test_client()
            choose(client, age, symbols)
            client.get("/promises")  # made and kept
            pages[age, symbols] = client.get("/promises").data
    assert len(set(pages.values())) == len(pages)


def test_a_page_with_a_query_string_is_made_afresh(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    page_client.get("/help")
    with renders(page_client.application) as made:
        page_client.get("/help?utm=anything")
    assert made
    assert "/help?utm=anything" not in str(page_client.application.extensions["kept_pages"])


def test_a_flashed_message_is_shown_and_the_page_not_kept(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    page_client.get("/talk-to-someone")  # kept without the message
    token = csrf_token(page_client.get("/my-card").get_data(as_text=True))
    response = page_client.post("/my-card/forget", data={"csrf_token": token})
    assert response.status_code in {302, 303}
    shown = page_client.get("/talk-to-someone").get_data(as_text=True)
    assert "forgotten on this phone" in shown
    # The message went with that page; the kept page never held it.
    assert "forgotten on this phone" not in page_client.get("/talk-to-someone").get_data(
        as_text=True
    )
    kept = page_client.application.extensions["kept_pages"].values()
    assert not any("forgotten on this phone" in page.body.decode() for page in kept)


def test_a_childs_card_never_stays_in_the_servers_memory(page_client: FlaskClient) -> None:
    choose(page_client, "10_plus")
    post_form(page_client, "/my-card", worker_name="Sam Smith", worker_phone="07700 900 982")
    for url in kept_urls(page_client.application):
        page_client.get(url)
    kept = page_client.application.extensions.get("kept_pages", {})
    assert not any(b"Sam Smith" in page.body or b"07700" in page.body for page in kept.values())
    assert "Sam Smith" in page_client.get("/talk-to-someone").get_data(as_text=True)


def test_a_redirect_is_never_kept(page_client: FlaskClient) -> None:
    first = page_client.get("/promises")  # no age chosen yet: asked first
    assert first.status_code == 302
    choose(page_client, "10_plus")
    assert page_client.get("/promises").status_code == 200


def test_the_memory_is_bounded(page_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_pages, "MOST", 3)
    client = page_app.test_client()
    choose(client, "10_plus")
    for url in ("/", "/help", "/about", "/accessibility", "/your-information"):
        client.get(url)
        assert len(page_app.extensions["kept_pages"]) <= 3
    assert client.get("/").status_code == 200


def test_a_kept_page_keeps_its_compressed_bodies_and_etag(page_app: Flask) -> None:
    """Each coding the phone accepts is made once and served as is; the bytes it unpacks to are
    the page's own; a phone holding the page is told "not modified" with no body. (Flask's own
    client: the house rules' client reads every page as text, not its compressed bytes.)"""
    client = FlaskClient(page_app, page_app.response_class)
    choose(client, "5_to_9", symbols=True)
    plain = client.get("/promises")
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress}
    for coding, accept in (("br", "gzip, deflate, br"), ("gzip", "gzip, deflate")):
        with renders(page_app) as made:
            packed = client.get("/promises", headers={"Accept-Encoding": accept})
            again = client.get("/promises", headers={"Accept-Encoding": accept})
        assert made == []
        assert packed.headers["Content-Encoding"] == coding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert unpack[coding](packed.data) == plain.data
        assert again.data == packed.data
        etag = packed.headers["ETag"]
        assert etag != plain.headers["ETag"]
        held = {"Accept-Encoding": accept, "If-None-Match": etag}
        unchanged = client.get("/promises", headers=held)
        assert unchanged.status_code == 304
        assert unchanged.data == b""
        # What every page carries, a 304 too.
        assert unchanged.headers["Content-Security-Policy"]
    kept = page_app.extensions["kept_pages"].values()
    assert any(set(page.coded) == {"br", "gzip"} for page in kept)
    # Another age band's page is another page: the first one's ETag does not match it.
    other = page_app.test_client()
    choose(other, "10_plus", symbols=True)
    mismatch = other.get("/promises", headers={"If-None-Match": plain.headers["ETag"]})
    assert mismatch.status_code == 200
    assert mismatch.data != plain.data


def werkzeugs_answer(kept: Kept, coding: str) -> Response:
    """A kept body's response made as werkzeug makes one, a header at a time."""
    answer = Response(CODINGS[coding](kept.body) if coding else kept.body, mimetype=kept.mimetype)
    if coding:
        answer.headers["Content-Encoding"] = coding
    answer.set_etag(f"{kept.etag}:{coding}" if coding else kept.etag)
    answer.vary.add("Accept-Encoding")
    return answer.make_conditional(request)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("coding", ["", "br", "gzip"])
def test_a_kept_body_is_answered_as_werkzeug_answers_it(
    page_app: Flask, method: str, coding: str
) -> None:
    """app/compressed.py makes each coding's headers once, and looks at the conditional request
    headers only when a request sends one: every answer must still be werkzeug's own, header by
    header in the same order, 304s, 412s and ranges included."""
    kept = Kept(b"<p>A page made once.</p>" * 40, "text/html")
    etag = f'"{kept.etag}:{coding}"' if coding else f'"{kept.etag}"'
    asks: list[dict[str, str]] = [
        {},
        {"If-None-Match": etag},
        {"If-None-Match": '"another"'},
        {"If-None-Match": "*"},
        {"If-Match": '"another"', "If-None-Match": etag},
        {"If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT"},
        {"Range": "bytes=0-9"},
        {"If-Range": etag, "Range": "bytes=0-9"},
    ]
    for ask in asks:
        headers = {"Accept-Encoding": coding or "identity", **ask}
        with page_app.test_request_context("/", method=method, headers=headers):
            found, expected = kept.response(), werkzeugs_answer(kept, coding)
            assert found.status_code == expected.status_code, ask
            # The same headers in the same order (the Date each made, if it made one, aside).
            assert [name for name, _ in found.headers] == [name for name, _ in expected.headers]
            assert [pair for pair in found.headers if pair[0] != "Date"] == [
                pair for pair in expected.headers if pair[0] != "Date"
            ], ask
            assert found.get_data() == expected.get_data(), ask
