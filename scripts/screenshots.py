"""Screenshots of the child's app at 320 px wide, as a small phone shows it: home, a question,
the confirmation and the status page, for each age band and in symbol mode.

Debian's Chromium through Playwright, against the app on a fresh SQLite database. The status
page is shown at "with a named person", recorded through the rules as staff would. Written to
docs/screenshots/ (the README links there); `make screenshots` runs it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select

from app import contacts, staff_accounts
from app.council import office
from app.extensions import db
from app.models import Contact
from tests.e2e.support import choose, live_server

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "docs" / "screenshots"))
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTH, HEIGHT = 320, 640
VARIANTS = {  # name: (age band, symbols)
    "under-5": ("under_5", False),
    "5-to-9": ("5_to_9", False),
    "10-plus": ("10_plus", False),
    "symbols": ("5_to_9", True),
}


def send(page: Page) -> str:
    """Through every question with the answers a child might give; the reference."""
    page.goto("/tell-us/what")
    page.check("input[name=kind][value=not_kept]")
    page.locator("form button[type=submit]").first.click()
    page.locator("input[name=promises]").first.check()
    page.locator("form button[type=submit]").first.click()
    page.locator("#words").fill("Nobody told me my review moved.")
    while "/tell-us/helper" not in page.url:
        page.locator("form button[type=submit]").first.click()
    page.locator("input[name=helper][value=nobody]").check()
    page.locator("form button[type=submit]").first.click()
    page.locator("button[data-prevent-double-click]").click()
    return page.locator(".reference").inner_text().strip()


def name_a_person(app: object, reference: str) -> None:
    with app.app_context():  # type: ignore[attr-defined]
        session = db.session()
        person = staff_accounts.create(
            session,
            f"sam.{reference.lower()}@council.example",
            role="senior_manager",
            password=secrets.token_urlsafe(24),  # nobody signs in as this person
            name="Sam",
            now=dt.datetime.now(dt.UTC),
        )
        contact = session.scalar(select(Contact).where(Contact.reference == reference))
        by = contacts.By(None, "head_of_service")
        now = dt.datetime.now(dt.UTC)
        contacts.record(session, contact, "read", office=office(), by=by, now=now)
        contacts.record(
            session,
            contact,
            "allocated",
            office=office(),
            by=by,
            now=now,
            details={"staff_id": person.id},
        )
        session.commit()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as work,
        live_server(Path(work)) as live,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        for name, (band, symbols) in VARIANTS.items():
            context = browser.new_context(
                base_url=live.url, viewport={"width": WIDTH, "height": HEIGHT}
            )
            page = context.new_page()
            choose(page, band, symbols)
            shots = {"home": "/", "step": "/tell-us/what"}
            for shot, url in shots.items():
                page.goto(url)
                page.screenshot(path=OUT / f"{name}-{shot}.png", full_page=True)
            reference = send(page)
            page.screenshot(path=OUT / f"{name}-confirmation.png", full_page=True)
            name_a_person(live.app, reference)
            page.goto(f"/messages/{reference}")
            page.screenshot(path=OUT / f"{name}-status.png", full_page=True)
            context.close()
        browser.close()
    print(f"screenshots in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
