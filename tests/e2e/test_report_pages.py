"""The report, its safe-to-share, printed and young people's forms, "you said, we did" and the
IRO's page in Chromium: axe, targets and no sideways scroll on each; the print view hides the
controls and keeps every table."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from app.extensions import db
from app.models import Contact
from tests import report_scenario as known
from tests.e2e.support import (
    Live,
    axe_report,
    choose,
    page_problems,
    problems_at_every_size,
)
from tests.e2e.test_staff_loop import make_staff, staff_page

DATES = "from=2025-12-01&to=2026-02-28"


def test_axe_on_the_report_and_closing_the_loop(browser: Browser, live_server: Live) -> None:
    with live_server.app.app_context():
        known.seed()
        contact_id = db.session.query(Contact.id).first()[0]  # type: ignore[index]
    head = make_staff(live_server, "head_of_service", "Hana Head")
    iro = make_staff(live_server, "iro", "Ira Reviewer")
    seen: dict[str, list[str]] = {}
    context, page = staff_page(browser, live_server, head)
    for url in (
        f"/staff/reports?{DATES}",
        f"/staff/reports?{DATES}&shared=1",
        f"/staff/reports/young-people?{DATES}",
        "/staff/reports?from=nonsense",
        "/staff/you-said-we-did",
        f"/staff/contacts/{contact_id}/subject-access",
    ):
        page.goto(url)
        # With the seeded figures (charts, long promise titles), at every size.
        problems = problems_at_every_size(page)
        if problems:
            seen[url] = [str(problems)]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/staff/you-said-we-did")
    page.get_by_role("button", name="Save it").click()
    expect(page.locator(".error-summary")).to_be_visible()
    if axe_report(page):
        seen["you said, with errors"] = [str(axe_report(page))]
    # Exact counts are for the screen: printed, the page says to print "Safe to share".
    page.goto(f"/staff/reports?{DATES}")
    expect(page.locator(".print-instead")).to_be_hidden()
    expect(page.locator("#figure-late")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".print-instead")).to_be_visible()
    expect(page.locator(".report-summary")).to_be_hidden()
    expect(page.locator("#table-kind")).to_be_hidden()
    page.goto(f"/staff/reports?{DATES}&shared=1")
    expect(page.locator(".print-instead")).to_have_count(0)
    expect(page.locator(".report-dates")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("#table-kind table")).to_be_visible()
    expect(page.locator("#table-kind svg.chart")).to_be_visible()
    # What reaches the paper carries no names (not even the signed-in member of staff's), no
    # words and no contact details; every table and its chart is there.
    printed = page.inner_text("body")
    for secret in (*known.SECRETS, "Hana Head", head.email):
        assert secret not in printed, secret
    assert "@" not in printed
    tables = page.locator("section.report-table table")
    for n in range(tables.count()):
        expect(tables.nth(n)).to_be_visible()
    for n in range(page.locator("svg.chart").count()):
        expect(page.locator("svg.chart").nth(n)).to_be_visible()
    # The subject access page on A4 paper: every history row there, nothing cut off at the side.
    page.goto(f"/staff/contacts/{contact_id}/subject-access")
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_text(known.WORDS).first).to_be_visible()
    cut = page.evaluate(
        """() => {
            const page = document.documentElement.clientWidth + 1;
            return [...document.querySelectorAll("main table")]
                .filter((t) => t.getBoundingClientRect().right > page)
                .map((t) => t.className);
        }"""
    )
    assert cut == [], cut
    context.close()
    context, page = staff_page(browser, live_server, iro)
    expect(page).to_have_url(f"{live_server.url}/staff/awareness")
    problems = page_problems(page)
    if problems:
        seen["awareness"] = problems
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator(".error-summary")).to_be_visible()
    if axe_report(page):
        seen["awareness, with errors"] = [str(axe_report(page))]
    context.close()
    assert not seen, seen


def test_you_said_we_did_from_the_staff_page_to_a_child_in_symbol_mode(
    browser: Browser, live_server: Live
) -> None:
    """vic writes and publishes an item in the browser; a child sees it in every age band, in
    symbol mode with a picture, with and without JavaScript, and the page passes axe at every
    size."""
    said, did = "the bus pass took six weeks to come", "it now comes in three days"
    vic = make_staff(live_server, "vic", "Vi Change")
    context, page = staff_page(browser, live_server, vic)
    page.goto("/staff/you-said-we-did")
    page.locator("input[name=promise_key]").first.check()
    page.get_by_label("You told us…").fill(said)
    page.get_by_label("So we…").fill(did)
    page.get_by_role("button", name="Save it").click()
    item = page.locator(".you-said-item", has_text=said)
    item.get_by_role("button", name="Publish it").click()
    expect(page.locator(".you-said-item", has_text=said)).to_contain_text("Published")
    context.close()
    seen: dict[str, object] = {}
    for scripts in (True, False):
        child = browser.new_context(base_url=live_server.url, java_script_enabled=scripts)
        page = child.new_page()
        for age in ("under_5", "5_to_9", "10_plus"):
            for symbols in (False, True):
                choose(page, age, symbols)
                page.goto("/you-said-we-did")
                mine = page.locator(".you-said", has_text=said)
                expect(mine).to_contain_text(did)
                expect(mine.locator("img.symbol")).to_have_count(1 if symbols else 0)
                if scripts:
                    problems = problems_at_every_size(page)
                    if problems:
                        seen[f"{age}, symbols {symbols}"] = problems
                    page.set_viewport_size({"width": 1280, "height": 720})
        child.close()
    assert not seen, seen
