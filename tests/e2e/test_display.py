"""Display choices in Chromium (issue 13): each one turned on through the form, as a child
would, and checked in the page's computed style: larger text, 7:1 colours, OpenDyslexic
downloaded only once chosen, and no animation where motion should be reduced.
"""

from __future__ import annotations

from playwright.sync_api import Page, Request

from tests.e2e.support import AXE_OPTIONS, _axe, axe_report, choose, sideways, small_targets

# Every element's transitions and animations, pseudo-elements too, that last any time at all.
MOVING = """() => {
  const moving = [];
  const seconds = (list) => list.split(",").some((t) => parseFloat(t) > 0);
  for (const element of document.querySelectorAll("*")) {
    for (const pseudo of [null, "::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      if (seconds(style.transitionDuration) ||
          (style.animationName !== "none" && seconds(style.animationDuration))) {
        moving.push(element.tagName + "." + element.className + (pseudo || ""));
      }
    }
  }
  return moving;
}"""


def turn_on(page: Page, *choices: str) -> None:
    """Tick `choices` on the display page reached from the menu, and save."""
    here = page.url
    page.locator(".menu summary").click()
    page.get_by_role("link", name="Text size, colours and font").click()
    for box in page.locator("input[name=display]").all():
        if (box.get_attribute("value") in choices) != box.is_checked():
            box.click()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.url == here


def style(page: Page, selector: str, prop: str) -> str:
    value: str = page.eval_on_selector(
        selector, f"(e) => getComputedStyle(e).getPropertyValue('{prop}')"
    )
    return value


def test_each_choice_in_the_computed_style(page: Page) -> None:
    fonts: list[str] = []

    def on_request(request: Request) -> None:
        if request.url.split("?")[0].endswith(".woff2"):
            fonts.append(request.url)

    page.on("request", on_request)
    choose(page, "10_plus")
    page.goto("/promises")
    page.wait_for_load_state("networkidle")
    assert style(page, "body", "font-size") == "19px"
    assert style(page, "html", "font-family").startswith("system-ui")

    turn_on(page, "larger")
    assert style(page, "body", "font-size") == "23.75px"  # 1.1875rem of 20px
    assert style(page, "h1", "font-size") == "40px"

    turn_on(page, "larger", "contrast")
    assert style(page, "body", "color") == "rgb(0, 0, 0)"
    assert style(page, "h1", "color") == "rgb(0, 48, 122)"  # 12.3:1 on white
    enhanced = _axe().run(
        page, options={"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}
    )
    assert enhanced.violations_count == 0, enhanced.generate_report()
    assert axe_report(page) is None

    page.wait_for_load_state("networkidle")
    assert fonts == [], "OpenDyslexic is not downloaded until it is chosen"
    turn_on(page, "dyslexic")
    page.evaluate("document.fonts.ready")
    page.wait_for_load_state("networkidle")
    assert style(page, "html", "font-family").startswith("OpenDyslexic,")
    assert page.evaluate("document.fonts.check('19px OpenDyslexic')")
    assert fonts and all("/static/vendor/opendyslexic/" in url for url in fonts)
    assert style(page, "body", "font-size") == "19px", "larger text is off again"

    turn_on(page)  # all off: the plain page, and no font fetched for it
    fonts.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert style(page, "html", "font-family").startswith("system-ui")
    assert fonts == []


def test_no_movement_when_the_phone_or_the_child_asks(page: Page) -> None:
    choose(page, "5_to_9")
    page.goto("/promises")
    page.wait_for_load_state("networkidle")
    # Read aloud's highlight, on a line, must not move either.
    page.evaluate("document.querySelector('[data-line]').classList.add('reading')")
    assert page.evaluate(MOVING), "the buttons move a little when motion is welcome"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(MOVING) == []
    page.emulate_media(reduced_motion="no-preference")
    turn_on(page, "still")
    page.evaluate("document.querySelector('[data-line]').classList.add('reading')")
    assert page.evaluate(MOVING) == []


def test_every_choice_on_keeps_the_pages_accessible_at_320px(page: Page) -> None:
    choose(page, "under_5", symbols=True)
    page.goto("/")
    turn_on(page, "larger", "contrast", "dyslexic", "still")
    problems = {}
    for url in ("/", "/promises", "/tell-us/what", "/display", "/help", "/messages/find"):
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(url)
        page.wait_for_load_state("networkidle")
        result = _axe().run(page, options=AXE_OPTIONS)
        found = [result.generate_report()] if result.violations_count else []
        page.set_viewport_size({"width": 320, "height": 640})
        found += small_targets(page)
        wide = sideways(page)
        if wide:
            found.append(wide)
        if found:
            problems[url] = found
    assert not problems, problems
