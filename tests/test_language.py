"""Ready for every language: gettext everywhere, lang and dir from the locale, logical CSS."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app import create_app
from tests.conftest import HouseRulesClient
from tests.helpers import settings_for, soup

APP = Path(__file__).parent.parent / "app"
JINJA = re.compile(r"{#.*?#}|{%.*?%}|{{.*?}}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)


@pytest.mark.parametrize("template", sorted((APP / "templates").rglob("*.html")), ids=str)
def test_templates_have_no_words_outside_gettext(template: Path) -> None:
    text = TAG.sub(" ", JINJA.sub(" ", template.read_text(encoding="utf-8")))
    words = re.findall(r"[^\W\d_]{2,}", text)
    assert not words, f"{template.name}: words that translators would never see: {words}"


@pytest.mark.parametrize(
    ("accept", "lang", "direction"),
    [("ar", "ar", "rtl"), ("ur-PK,ur;q=0.9", "ur", "rtl"), ("en-GB", "en", "ltr")],
)
def test_html_lang_and_dir_come_from_the_locale(
    sqlite_url: str, accept: str, lang: str, direction: str
) -> None:
    app = create_app(settings_for(sqlite_url, LANGUAGES=["en", "ar", "ur"]))
    app.test_client_class = HouseRulesClient
    HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = lang, direction
    try:
        page = soup(app.test_client().get("/", headers={"Accept-Language": accept}))
    finally:
        HouseRulesClient.expect_lang, HouseRulesClient.expect_dir = "en", "ltr"
    assert page.html["lang"] == lang and page.html["dir"] == direction


def test_css_uses_logical_properties() -> None:
    css = "".join(p.read_text(encoding="utf-8") for p in (APP / "static" / "css").glob("*.css"))
    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right)\b|(?<![\w-])(?:left|right)\s*:"
        r"|text-align:\s*(?:left|right)|float:\s*(?:left|right)",
        css,
    )
    assert not physical, physical


# Loaded only when needed: a message kept on the phone (kept.js), news on the status page
# (push.js), story books and printables (pages.js), the "Read to me" buttons after a page with
# something to read (read_aloud.js), and the service worker, which runs apart from every page.
ON_DEMAND = {"kept.js", "push.js", "sw.js", "pages.js", "read_aloud.js"}


def test_our_own_script_is_a_few_kilobytes_and_no_framework() -> None:
    scripts = {path.name: path.stat().st_size for path in (APP / "static" / "js").glob("*.js")}
    assert sum(size for name, size in scripts.items() if name not in ON_DEMAND) < 6 * 1024
    assert all(scripts[name] < 12 * 1024 for name in ON_DEMAND & set(scripts))
    for template in (APP / "templates" / "child").rglob("*.html"):
        assert "htmx.min.js" not in template.read_text(encoding="utf-8")


def test_every_sentence_reaches_the_translators(tmp_path: Path) -> None:
    import subprocess
    import sys

    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            Path(sys.executable).with_name("pybabel"),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            pot,
            "app",
        ],
        cwd=APP.parent,
        check=True,
        capture_output=True,
    )
    catalogue = pot.read_text(encoding="utf-8")
    for sentence in (
        'msgid "Exit this page"',
        'msgid "How old are you?"',
        'msgid "We keep your information safe."',
        'msgid "Talk to someone first"',
    ):
        assert sentence in catalogue
