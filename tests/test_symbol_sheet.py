"""A page's symbols come in one sheet (app/symbol_sheet.py): one request, each picture its own
view, the address naming only vendored pictures, and kept by a phone for a year."""

from __future__ import annotations

import re

import brotli
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

from app import symbol_sheet
from tests.helpers import choose, soup


def test_every_symbol_of_a_page_comes_from_one_sheet(page_client: FlaskClient) -> None:
    choose(page_client, "5_to_9", symbols=True)
    page = soup(page_client.get("/promises"))
    sources = [img["src"] for img in page.select("img.symbol")]
    sheets = {src.split("#")[0] for src in sources}
    assert len(sources) > 10 and len(sheets) == 1
    sheet = sheets.pop()
    response = page_client.get(sheet)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    drawn = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    views = {view["id"] for view in drawn.select("view")}
    assert {src.split("#")[1] for src in sources} <= views
    assert len(drawn.select("svg > svg")) == len(views)  # each picture once
    assert all(img["alt"] == "" for img in page.select("img.symbol"))


def test_a_sheet_names_only_vendored_pictures(page_client: FlaskClient) -> None:
    for path in (
        "/symbols/ZZZ.svg",
        "/symbols/1F4AC_1F4AC.svg",  # the same picture twice
        "/symbols/..%2F..%2Fcouncil.svg",
        "/symbols/1F4AC_99999.svg",  # not vendored
        "/symbols/" + "_".join(["1F4AC"] * 81) + ".svg",
    ):
        assert page_client.get(path).status_code == 404, path
    assert page_client.get("/symbols/1F4AC_2B50.svg").status_code == 200


def test_the_sheet_changes_its_address_when_a_picture_changes(page_client: FlaskClient) -> None:
    html = page_client.get("/").get_data(as_text=True)
    assert re.search(r'src="/symbols/[0-9A-F_-]+\.svg\?v=[0-9a-f]{12}#s-', html)


def test_a_sheet_is_made_and_compressed_once(page_client: FlaskClient) -> None:
    """Kept with its brotli copy at the smallest setting, and answered 304 to a phone that
    holds it: no work, and no bytes, repeated per request."""
    app = page_client.application
    plain = FlaskClient(app, app.response_class)  # the bytes as sent, not read as a page
    sheet = "/symbols/1F4AC_2B50.svg?v=1"
    whole = plain.get(sheet).data
    assert whole == symbol_sheet.sheet(("1F4AC", "2B50")).encode()
    packed = plain.get(sheet, headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(packed.data) == whole
    assert len(packed.data) <= len(brotli.compress(whole, quality=4))
    assert ("1F4AC", "2B50") in app.extensions["symbol_sheets"]
    held = {"Accept-Encoding": "gzip, br", "If-None-Match": packed.headers["ETag"]}
    again = plain.get(sheet, headers=held)
    assert again.status_code == 304 and again.data == b""
