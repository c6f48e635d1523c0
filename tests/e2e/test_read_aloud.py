"""Read aloud in Chromium (issue 13): what would be spoken, in which language, the line lit
while it is read, the recordings played where the phone has no voice for the language, and no
button where nothing could speak.

Chromium here has no voices, so the phone's voice is a recorder put in place of
`speechSynthesis` before the page's scripts run; `HTMLMediaElement.play` is recorded likewise.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.support import Live, axe_report, choose, small_targets
from tests.e2e.support import live_server as serve
from tests.helpers import COUNCIL

# A phone whose voices are VOICES (a JSON list of language tags): what it is asked to say is
# kept in window.spoken, each utterance's text, lang and voice, and the utterance itself.
RECORDER = """
(() => {
  const voices = VOICES.map((lang) => ({ lang, name: "voice " + lang, localService: true }));
  window.spoken = [];
  window.cancelled = 0;
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
  const synth = {
    getVoices: () => voices,
    speak(u) {
      window.spoken.push({ text: u.text, lang: u.lang, voice: u.voice && u.voice.name, u });
      if (u.onstart) u.onstart();
    },
    cancel() { window.cancelled += 1; },
    addEventListener() {},
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.played = [];
  HTMLMediaElement.prototype.play = function () {
    window.played.push(this);
    return Promise.resolve();
  };
})();
"""
# No speechSynthesis at all, and no MP3 either.
MUTE = """
(() => {
  Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
  HTMLMediaElement.prototype.canPlayType = () => "";
})();
"""
SPOKEN = "spoken.map((s) => [s.text, s.lang, s.voice])"


def phone(page: Page, *voices: str) -> None:
    page.add_init_script(RECORDER.replace("VOICES", repr(list(voices))))


def reading_now(page: Page) -> list[str]:
    found: list[str] = page.eval_on_selector_all(".reading", "lines => lines.map(l => l.innerText)")
    return found


def test_the_phones_voice_reads_each_promise_story_and_question(page: Page) -> None:
    phone(page, "en-GB", "ar-SA")
    choose(page, "10_plus")
    page.goto("/promises")
    buttons = page.locator(".read-aloud")
    expect(buttons).to_have_count(len(COUNCIL.promises))
    assert axe_report(page) is None
    page.set_viewport_size({"width": 375, "height": 740})
    assert small_targets(page) == []

    second = COUNCIL.promises[1]
    page.locator(f"#promise-{second.key} .read-aloud").click()
    assert page.evaluate(SPOKEN) == [[second.words("card"), "en", "voice en-GB"]]
    assert reading_now(page) == [second.words("card")]
    expect(page.locator(f"#promise-{second.key} .read-aloud")).to_have_text("Stop reading")
    page.evaluate("spoken[0].u.onend()")
    assert reading_now(page) == []
    expect(page.locator(f"#promise-{second.key} .read-aloud")).to_have_text("Read to me")

    # A story's page: one line after another, each lit while it is read; Stop stops.
    if COUNCIL.characters:
        character = COUNCIL.characters[0]
        page.goto(f"/promises/story/{character.key}")
        page.locator(".book-page .read-aloud").click()
        assert page.evaluate(SPOKEN) == [[character.hello, "en", "voice en-GB"]]
        assert reading_now(page) == [character.hello]
        page.evaluate("spoken[0].u.onend()")
        assert page.evaluate(SPOKEN)[1] == [character.before, "en", "voice en-GB"]
        assert reading_now(page) == [character.before]
        page.locator(".book-page .read-aloud").click()
        assert page.evaluate("cancelled") >= 1
        assert reading_now(page) == []
        expect(page.locator(".book-page .read-aloud")).to_have_text("Read to me")

    # A question of the message: the question first, then its choices.
    page.goto("/tell-us/what")
    page.locator(".read-aloud").click()
    said = page.evaluate(SPOKEN)
    assert said[0] == [page.locator("h1").inner_text().strip(), "en", "voice en-GB"]
    for _ in range(20):  # to the end, a line at a time
        if not reading_now(page):
            break
        page.evaluate("spoken[spoken.length - 1].u.onend()")
    texts = [text for text, _, _ in page.evaluate(SPOKEN)]
    choices = page.locator("input[name=kind] + label").all_inner_texts()
    assert choices and all(choice.strip() in texts for choice in choices), texts
    assert not page.evaluate("played.length")


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with serve(tmp_path_factory.mktemp("arabic"), LANGUAGES=["en", "ar"]) as live:
        yield live


def arabic_phone(browser: Browser, live: Live, *voices: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live.url, locale="ar")
    page = context.new_page()
    phone(page, *voices)
    page.goto("/choose")  # the form in Arabic: its button is not called "Continue"
    page.check("input[name=age][value='5_to_9']")
    page.check("input[name=symbols][value='yes']")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return context, page


def test_with_no_voice_for_the_language_our_recording_is_played(
    browser: Browser, arabic: Live
) -> None:
    context, page = arabic_phone(browser, arabic, "en-GB")
    try:
        page.goto("/promises")
        assert page.locator("html").get_attribute("lang") == "ar"
        first = page.locator(".easy-read-promise").first
        first.locator(".read-aloud").click()
        lines = first.locator("[data-line]")
        sources = page.evaluate("played.map((a) => a.src)")
        assert sources == [arabic.url + str(lines.first.get_attribute("data-audio"))]
        assert page.evaluate("spoken.length") == 0, "never the English voice for Arabic words"
        assert reading_now(page) == [lines.first.inner_text()]
        answer = page.request.get(sources[0])
        assert answer.ok and answer.headers["content-type"] == "audio/mpeg"
        page.evaluate("played[0].dispatchEvent(new Event('ended'))")
        assert page.evaluate("played.length") == 2
        assert reading_now(page) == [lines.nth(1).inner_text()]
        # A question has no recording: with no Arabic voice, no button on it.
        page.goto("/tell-us/what")
        page.wait_for_function("document.querySelector('script[src*=\"read_aloud.js\"]')")
        page.wait_for_load_state("networkidle")
        expect(page.locator(".read-aloud")).to_have_count(0)
    finally:
        context.close()


def test_an_arabic_voice_reads_arabic(browser: Browser, arabic: Live) -> None:
    context, page = arabic_phone(browser, arabic, "en-GB", "ar-EG")
    try:
        page.goto("/tell-us/what")
        page.locator(".read-aloud").click()
        text, lang, voice = page.evaluate(SPOKEN)[0]
        assert (lang, voice) == ("ar", "voice ar-EG")
        assert text == page.locator("h1").inner_text().strip()
        assert page.locator(".read-aloud").inner_text() not in ("Stop reading", "Read to me")
    finally:
        context.close()


def test_no_button_where_nothing_can_speak(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.add_init_script(MUTE)
    try:
        choose(page, "10_plus")
        for url in ("/promises", "/tell-us/what"):
            page.goto(url)
            page.wait_for_function("document.querySelector('script[src*=\"read_aloud.js\"]')")
            page.wait_for_load_state("networkidle")
            assert page.locator("[data-read-aloud]").count() > 0
            expect(page.locator(".read-aloud")).to_have_count(0)
    finally:
        context.close()


OFFLINE = "Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false });"


def test_offline_only_the_phones_own_voice_reads(browser: Browser, base_url: str) -> None:
    """The service worker keeps the script, not the recordings: offline, with no voice for the
    language, there is nothing to press; with one, the button is there."""
    for voices, buttons in (((), 0), (("en-GB",), len(COUNCIL.promises))):
        context = browser.new_context(base_url=base_url)
        page = context.new_page()
        phone(page, *voices)
        page.add_init_script(OFFLINE)
        try:
            choose(page, "10_plus")
            page.goto("/promises")
            page.wait_for_function("document.querySelector('script[src*=\"read_aloud.js\"]')")
            page.wait_for_load_state("networkidle")
            expect(page.locator(".read-aloud")).to_have_count(buttons)
        finally:
            context.close()
