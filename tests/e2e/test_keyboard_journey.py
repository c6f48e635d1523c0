"""The whole message journey with the keyboard alone, on a phone: Tab and Shift+Tab to move,
arrow keys to choose a radio, Space for a checkbox or a button, Enter to follow a link or send,
and the words typed key by key. No mouse, no click(), no fill().

At every stop of the focus the test checks what a sighted keyboard user needs (WCAG 2.4.7 and
2.4.11): the focused element shows a focus indicator (an outline or a box-shadow), and it is
not hidden behind the sticky header that holds the quick exit: its box does not run under the
header's, and the element at its centre is it (or inside it).
"""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.e2e.support import PHONE, Live
from tests.helpers import A_PROMISE

# What is wrong with the focused element as it is shown, or null.
FOCUS_PROBLEM = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return 'nothing has the focus';
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  if (!outline && !shadow) return 'no visible focus indicator';
  const header = document.querySelector('.child-header');
  if (!header || header.contains(element)) return null;
  const box = element.getBoundingClientRect();
  const bar = header.getBoundingClientRect();
  if (box.top < bar.bottom && box.bottom > bar.top) {
    return `under the header: top ${Math.round(box.top)}, its end ${Math.round(bar.bottom)}`;
  }
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const seen = document.elementFromPoint(x, y);
  if (!seen) return `its centre (${Math.round(x)}, ${Math.round(y)}) is off the screen`;
  if (seen !== element && !element.contains(seen)) {
    return `covered by ${seen.tagName.toLowerCase()}.${seen.className}`;
  }
  return null;
}"""

DESCRIBE = """() => {
  const element = document.activeElement;
  return `${element.tagName.toLowerCase()}${element.name ? '[name=' + element.name + ']' : ''}`
    + `${element.value && element.tagName === 'INPUT' ? '[value=' + element.value + ']' : ''}`
    + ` "${(element.textContent || '').trim().slice(0, 30)}"`;
}"""


class Keyboard:
    """The child's keys, and a record of every focus stop that a sighted user could not follow."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.stops = 0

    def check_focus(self) -> None:
        self.stops += 1
        problem = self.page.evaluate(FOCUS_PROBLEM)
        if problem:
            where = self.page.url.split("/", 3)[-1]
            self.problems.append(f"/{where} {self.page.evaluate(DESCRIBE)}: {problem}")

    def focused(self, selector: str) -> bool:
        return bool(self.page.evaluate("s => document.activeElement.matches(s)", selector))

    def tab_to(self, selector: str, backwards: bool = False) -> None:
        """Tab (or Shift+Tab) until the focus is on `selector`, checking every stop."""
        for _ in range(60):
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            self.check_focus()
            if self.focused(selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def choose_radio(self, name: str, value: str) -> None:
        """Tab into the group, then arrow keys to the answer (which checks it), as a child does."""
        self.tab_to(f"input[type=radio][name={name}]")
        for _ in range(12):
            if self.focused(f"input[value='{value}']"):
                break
            self.page.keyboard.press("ArrowDown")
            self.check_focus()
        else:
            raise AssertionError(f"the arrow keys never reached {name}={value}")
        if not self.focused(":checked"):
            self.page.keyboard.press("Space")  # the first answer is focused, not chosen, on entry
        expect(self.page.locator(f"input[name={name}][value='{value}']")).to_be_checked()

    def tick(self, selector: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.press("Space")
        expect(self.page.locator(selector)).to_be_checked()

    def type_into(self, selector: str, words: str) -> None:
        self.tab_to(selector)
        self.page.keyboard.type(words)

    def go_on(self, key: str = "Enter", button: str = "main form button[type=submit]") -> None:
        """Press the form's button (Enter or Space) and wait for the next page."""
        self.tab_to(button)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)
        self.page.wait_for_load_state()


def test_the_whole_message_with_the_keyboard_alone(browser: Browser, live_server: Live) -> None:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="en-GB")
    page = context.new_page()
    keys = Keyboard(page)
    page.goto("/choose")
    keys.choose_radio("age", "10_plus")
    keys.choose_radio("symbols", "no")
    keys.go_on("Space")
    expect(page).to_have_url(f"{live_server.url}/")

    keys.tab_to("summary")  # "Menu" opens with Enter, and its links follow in the Tab order
    page.keyboard.press("Enter")
    keys.tab_to(".menu a[href='/tell-us']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    keys.go_on(button="main a[href='/tell-us/what'], main form button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/tell-us/what")

    keys.choose_radio("kind", "not_kept")
    keys.go_on()
    keys.tick(f"input[name=promises][value={A_PROMISE}]")
    keys.go_on("Space")
    keys.type_into("#words", "Nobody told me my review moved. I <3 my carer.")
    keys.tab_to("main form button[type=submit]")
    keys.tab_to("#words", backwards=True)  # back to read it again: Shift+Tab
    keys.go_on()
    keys.type_into("#name", "Jo")
    keys.go_on()
    for step in ("how", "language", "helps", "advocate"):  # optional: nothing chosen
        expect(page).to_have_url(f"{live_server.url}/tell-us/{step}")
        keys.go_on()
    keys.choose_radio("helper", "nobody")
    keys.go_on()
    expect(page).to_have_url(f"{live_server.url}/tell-us/check")
    expect(page.locator("main")).to_contain_text("I <3 my carer.")

    keys.go_on(button="main form button[type=submit]:not([name=keep])")
    reference = page.locator(".reference").inner_text().strip()
    assert reference
    keys.tab_to("main a[href^='/messages/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text(reference)
    context.close()
    assert keys.stops > 40, f"only {keys.stops} focus stops were checked"
    assert not keys.problems, "\n".join(keys.problems)


def test_the_focus_check_sees_a_focus_hidden_or_under_the_header(
    browser: Browser, live_server: Live
) -> None:
    """The check itself can fail: a radio without its focus style, then one scrolled under the
    header, are both reported."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    keys = Keyboard(page)
    page.goto("/choose")
    keys.tab_to("input[name=age]")
    assert keys.problems == []
    page.evaluate("window.scrollBy(0, document.activeElement.getBoundingClientRect().top - 5)")
    keys.check_focus()
    page.evaluate("document.activeElement.style.outline = document.activeElement.style.boxShadow"
                  " = 'none'")  # fmt: skip
    keys.check_focus()
    context.close()
    assert len(keys.problems) == 2, keys.problems
    assert "under the header" in keys.problems[0]
    assert "no visible focus indicator" in keys.problems[1]
