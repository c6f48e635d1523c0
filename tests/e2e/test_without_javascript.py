"""The child's journeys work with JavaScript switched off."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.e2e.support import choose
from tests.helpers import COUNCIL


def test_choose_read_and_keep_a_card_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Choose your age to read the promises").click()
    page.check("input[name=age][value='5_to_9']")
    page.check("input[name=symbols][value='no']")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/promises")
    expect(page.locator(".promise-list li").first).to_have_text(COUNCIL.promises[0].words("poster"))
    for character in COUNCIL.characters[-1:]:  # Leeds' Robbie the Rabbit; some councils have none
        choose(page, "under_5")
        page.goto("/promises")
        page.get_by_role("link", name=character.name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(character.name)
    page.goto("/my-card")
    page.get_by_label("Your social worker's name (optional)").fill("Sam")
    page.get_by_label("Their phone number (optional)").fill("07700 900 982")
    page.get_by_role("button", name="Save on this phone").click()
    page.goto("/talk-to-someone")
    expect(page.get_by_role("link", name="Call 07700 900 982")).to_have_attribute(
        "href", "tel:07700900982"
    )
    context.close()
