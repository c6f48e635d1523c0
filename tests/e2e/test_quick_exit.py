"""The quick exit: by click, by the skip link, by Shift three times; and it forgets everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, expect

from tests.e2e.support import (
    NEUTRAL_SITE,
    choose,
    send_and_follow,
    stand_in_for_the_neutral_site,
    write_a_message,
)


def left_for_the_neutral_site(page: Page) -> None:
    # Chromium may try the cross-origin redirect twice (the first attempt, in a new process,
    # misses Playwright's stand-in), so wait for where the page ends up, not for one navigation.
    expect(page).to_have_url(NEUTRAL_SITE)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()


def keep_a_card(page: Page) -> None:
    page.goto("/my-card")
    page.get_by_label("Your social worker's name (optional)").fill("Sam")
    page.get_by_label("Their phone number (optional)").fill("07700 900 982")
    page.get_by_role("button", name="Save on this phone").click()
    expect(page.get_by_role("link", name="Call 07700 900 982")).to_be_visible()


def assert_everything_forgotten(page: Page) -> None:
    page.goto("/talk-to-someone")
    expect(page.locator(".prefs-bar")).to_contain_text("You have not chosen your age yet")
    expect(page.get_by_text("Sam")).to_have_count(0)
    expect(page.locator("a[href='tel:07700900982']")).to_have_count(0)


def test_the_exit_button_leaves_and_forgets(page: Page) -> None:
    choose(page, "10_plus", symbols=True)
    keep_a_card(page)
    page.goto("/promises")
    page.get_by_role("link", name="Emergency Exit this page").click()
    left_for_the_neutral_site(page)
    assert_everything_forgotten(page)


def test_the_secondary_skip_link_leaves(page: Page) -> None:
    choose(page, "5_to_9")
    page.goto("/promises")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Exit this page"
    page.keyboard.press("Enter")
    left_for_the_neutral_site(page)
    assert_everything_forgotten(page)


def test_shift_three_times_leaves_and_says_how_many_are_left(page: Page) -> None:
    choose(page, "under_5")
    keep_a_card(page)
    page.goto("/promises")
    status = page.locator("[data-exit-status]")
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 2 more times to exit.")
    expect(page.locator("[data-exit-dots] span.on")).to_have_count(1)
    page.keyboard.press("Shift")
    expect(status).to_have_text("Shift, press 1 more time to exit.")
    page.keyboard.press("Shift")
    left_for_the_neutral_site(page)
    assert_everything_forgotten(page)


def test_another_key_between_shifts_starts_the_count_again(page: Page) -> None:
    page.goto("/help")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page.locator("[data-exit-status]")).to_have_text("Shift, press 1 more time to exit.")
    assert page.url.endswith("/help")
    # The count was two, not broken: one more Shift leaves.
    page.keyboard.press("Shift")
    left_for_the_neutral_site(page)


def test_shifts_more_than_five_seconds_apart_do_not_leave(page: Page) -> None:
    page.clock.install()
    page.goto("/help")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.clock.fast_forward(5_100)
    expect(page.locator("[data-exit-status]")).to_have_text("")
    page.keyboard.press("Shift")
    expect(page.locator("[data-exit-status]")).to_have_text("Shift, press 2 more times to exit.")
    assert page.url.endswith("/help")


def test_the_exit_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.route(f"{NEUTRAL_SITE}**", stand_in_for_the_neutral_site)
    choose(page, "10_plus")
    keep_a_card(page)
    page.get_by_role("link", name="Emergency Exit this page").click()
    left_for_the_neutral_site(page)
    assert_everything_forgotten(page)
    context.close()


# Where Chromium keeps a site's cache and storage in its profile (History is not among them:
# the pages say honestly that browser history is not erased).
CACHE_AND_STORAGE = [
    "Default/Cache",
    "Default/Code Cache",
    "Default/Local Storage",
    "Default/Session Storage",
    "Default/IndexedDB",
    "Default/Service Worker",
    "Default/Cookies",
    "Default/Network/Cookies",
]


def profile_bytes(profile: Path) -> bytes:
    found = b""
    for place in CACHE_AND_STORAGE:
        path = profile / place
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in files:
            found += file.read_bytes()
    return found


def test_after_the_exit_nothing_readable_is_left_in_the_profile(
    playwright: Playwright,
    browser_type_launch_args: dict[str, Any],
    base_url: str,
    tmp_path: Path,
) -> None:
    """Write a message, send it, exit; then read the profile on disk as someone who picks up
    the phone could, and find none of the words, the name, the reference or the key."""
    profile = tmp_path / "profile"
    context = playwright.chromium.launch_persistent_context(
        str(profile), base_url=base_url, **browser_type_launch_args
    )
    page = context.new_page()
    page.route(f"{NEUTRAL_SITE}**", stand_in_for_the_neutral_site)
    words, name = "Zebra-quartz secret words", "Quillon"
    write_a_message(page, words, name)
    key = page.locator("input[name=submission_key]").get_attribute("value")
    assert key
    reference = send_and_follow(page)
    expect(page.locator("h1")).to_contain_text(reference)
    page.get_by_role("link", name="Emergency Exit this page").click()
    left_for_the_neutral_site(page)
    context.close()  # everything the browser kept is now on disk
    kept = profile_bytes(profile)
    assert kept, "the profile holds no cache or storage at all: the test would prove nothing"
    for secret in (words, name, reference, key):
        for encoded in {secret.encode(), secret.encode("utf-16-le")}:
            assert encoded not in kept, f"{secret!r} is still readable in the profile"
