"""Installable and offline: the manifest, its icons, the service worker and the offline pages.

The service worker (app/static/js/sw.js) is served from the root, so it may control every
page, and with `Cache-Control: max-age=0`, so a new one reaches phones at once. What it
precaches is decided here, by the server, so the list always names the hashed URLs the pages
use (templating.static_url): the child pages that carry nothing personal, fetched by the
worker without cookies, in every age band and symbol mode, with their styles, scripts and
symbols. Status pages, staff pages and the message's own steps are never on the list.

What the worker does:

- Install: precache the child pages that carry nothing personal (fetched without cookies,
  so nothing of the child's is in them, not even their choices) and the files they use.
- The promise pages (the promises and their stories) come from the copy kept in the child's
  choices, with nothing from the network (issue 15), when that copy is whole and the choices
  are sure: they change only with a release (a new worker, new caches) and with the
  child's choices. A choice is made by a form (a POST) or a link that redirects, whose
  answer the worker cannot always read: so any request that is not a GET, and any page
  from the network that does not name its choices, makes the choices unsure until a page
  from the network names them again; till then the promise pages come from the network.
- Other pages: network first; offline, the kept copy, else the offline page (or, for the
  message's steps, the page to write a message offline). A form posted while the
  connection fails is answered "204 No Content", so its page and answers stay. Pages
  fetched with the child's cookies are never stored, nor is any response marked no-store.
  Status and staff pages, and anything not a GET, go to the network untouched.
- Static files have content-hashed URLs: from the cache, else the network. Styles and fonts
  (and each page's sheet of symbols) are kept once seen.
- The child's choices (language, age band, symbols, display): every child page from the
  network names them in a header (app/offline_choices.py). When they change, the pages are
  kept again in them, still without cookies, the choices sent in that header; offline, a
  page comes from that copy first. A page shown from the cache never changes them.
- Activate: caches of older versions are deleted.
- Background Sync sends kept messages; a push shows a notification that says only that
  there is news, in the words kept with the pages (the child's language).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, jsonify, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import Length, Optional

from app import i18n, offline_choices, static_files
from app.child.blueprint import bp
from app.child.tell_us import answers, promise_choices, save_answers
from app.child.tell_us_forms import (
    SHORT_TOO_LONG,
    HelperForm,
    PromisesForm,
    WhatForm,
    WordsForm,
)
from app.contacts import SHORT_LIMIT
from app.council import current as council
from app.council import symbol_filename
from app.extensions import csrf_exempt
from app.preferences import AgeBand, Display, Preferences
from app.templating import static_url, symbol_url

BACKGROUND = "#ffffff"  # the icons' own background (scripts/icons.py)
ICONS = Path("icons")


def icon_url(variant: str) -> str:
    """One of the PNGs `make icons` drew from the council's symbol (`192`, `maskable-512`...)."""
    stem = symbol_filename(council().app.symbol).removesuffix(".svg")
    return static_url(str(ICONS / f"{stem}-{variant}.png"))


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    """The installed app's name and icon, from council.toml (DEC-5: it may be neutral)."""
    app_info = council().app
    icons = [
        {"src": icon_url(size), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in ("192", "512")
    ] + [
        {
            "src": icon_url(f"maskable-{size}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in ("192", "512")
    ]
    response = jsonify(
        {
            "id": url_for("child.home"),
            "name": app_info.name,
            "short_name": app_info.short_name,
            "start_url": url_for("child.home"),
            "scope": url_for("child.home"),
            "display": "standalone",
            "background_color": BACKGROUND,
            "theme_color": app_info.theme_colour,
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    return response


def promise_pages() -> list[str]:
    """The promises in every age band and symbol mode, and the stories' covers: pages that
    change only with a release or the child's choices, so the worker serves them from its copy
    in those choices, with nothing from the network (issue 15). Not /promises itself, which
    has no copy made without choices (it needs an age band): see worker_settings."""
    variants = [
        url_for("child.promises", age=band.value, symbols="yes" if symbols else None)
        for band in AgeBand
        for symbols in (False, True)
    ]
    stories = [url_for("child.story", key=character.key) for character in council().characters]
    return [*variants, *stories]


def offline_pages() -> list[str]:
    """The child pages a phone keeps for reading offline: none shows anything personal."""
    return [
        url_for("child.home"),
        *promise_pages(),
        url_for("child.help_now"),
        url_for("child.talk"),
        url_for("child.tell_us"),
        url_for("child.offline"),
        url_for("child.write_offline"),
    ]


def offline_assets() -> list[str]:
    """The files those pages use, at the hashed URLs the pages name."""
    return [
        static_url("css/app.css"),
        static_url("js/app.js"),
        static_url("js/kept.js"),
        static_url("js/read_aloud.js"),  # the phone's own voice reads offline too
        url_for("child.manifest"),
        url_for("child.offline_words"),
        # The one icon a notification shows; the browser fetches the manifest's others itself
        # when the app is installed, so they would only cost a child 32 KB of data here.
        icon_url("192"),
        # The tab's icon. The pages' pictures come in each page's one sheet, which the worker
        # keeps with the page (app/symbol_sheet.py, sw.js): not the 54 files one by one.
        symbol_url(council().app.symbol),
    ]


@cache
def _templates_digest(folder: str) -> str:
    """The pages' own source: a new release makes a new worker even if no asset changed."""
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def worker_settings() -> dict[str, Any]:
    pages, assets = offline_pages(), offline_assets()
    template_folder = str(Path(current_app.root_path) / (current_app.template_folder or ""))
    version = hashlib.sha256(
        json.dumps([pages, assets, _templates_digest(template_folder)]).encode()
    ).hexdigest()[:16]
    return {
        "version": version,
        "pages": pages,
        "assets": assets,
        "offline": url_for("child.offline"),
        "write": url_for("child.write_offline"),
        "not_safe": url_for("child.not_safe"),
        "help": url_for("child.help_now"),
        "kept": static_url("js/kept.js"),
        "send": url_for("child.send"),
        "status": url_for("child.my_messages"),
        "icon": icon_url("192"),
        "words": url_for("child.offline_words"),
        # Kept again in the child's choices whenever they change (sw.js), with the promises
        # in the age band they chose, and the words for a kept message in their language.
        "chosen": [*pages, url_for("child.promises"), url_for("child.offline_words")],
        "header": offline_choices.HEADER,
        # Served from the copy in the child's choices (sw.js): /promises in their age band too.
        "promises": [url_for("child.promises"), *promise_pages()],
    }


@cache
def _worker_source(path: str, mtime_ns: int) -> str:
    return Path(path).read_text(encoding="utf-8")


@bp.get("/sw.js")
def service_worker() -> Response:
    path = static_files.served_path(current_app, "js/sw.js")
    source = _worker_source(str(path), path.stat().st_mtime_ns)
    body = f"self.OUR_PROMISE = {json.dumps(worker_settings())};\n{source}"
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "max-age=0"
    return response


@bp.get("/offline")
def offline() -> str:
    """What the service worker shows for a page it does not keep, when the phone is offline."""
    return render_template(
        "child/offline/index.html",
        variants=[(band, url_for("child.promises", age=band.value)) for band in AgeBand],
        symbols=url_for("child.promises", age=AgeBand.TEN_PLUS.value, symbols="yes"),
    )


class OfflineForm(WhatForm, PromisesForm, WordsForm, HelperForm):
    """The questions a message cannot go without, on one page: a phone with no signal can
    still write it all, and choose to keep it to send later (app/static/js/app.js)."""

    praise_name = StringField(
        _l("If it is praise: who do you want to praise?"),
        description=_l("Their name, or what you call them."),
        validators=[Optional(), Length(max=SHORT_LIMIT, message=SHORT_TOO_LONG)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data == "praise" and not (self.praise_name.data or "").strip():
            self.praise_name.errors = [_l("Tell us who you want to praise")]
            return False
        return valid


@csrf_exempt  # the form checks its own token: the page kept offline has none of this session's
@bp.route("/offline/write", methods=["GET", "POST"])
def write_offline() -> tuple[str, int] | Response:
    """Online and without JavaScript this is a shortcut into the message's steps: the answers
    go into the draft, and the child goes on to how to reach them, check and send."""
    form = OfflineForm() if request.method == "POST" else OfflineForm(formdata=None)
    form.promises.choices = promise_choices()
    if request.method == "POST" and form.validate():
        values = answers()
        values.update({name: form[name].data for name in ("kind", "promises", "words", "helper")})
        values["praise_name"] = form.praise_name.data if form.kind.data == "praise" else None
        age = Preferences.current().age
        values["age_band"] = age.value if age else None
        save_answers(values)
        return redirect(url_for("child.tell_us_step", step="reach"), code=303)
    code = 400 if request.method == "POST" else 200
    return render_template("child/offline/write.html", form=form), code


@bp.get("/offline/words.json")
def offline_words() -> Response:
    """What the pages say about a message kept on the phone (app/static/js/kept.js), fetched
    only when needed (and kept by the service worker, so it is there offline): every page
    carrying these words would add to every first load."""
    return jsonify(
        {
            "send": url_for("child.send"),
            "sent_page": url_for("child.sent"),
            "one": _("1 message waiting to send. We will send it when this phone is online."),
            "many": _(
                "%(count)s messages waiting to send. We will send them when this phone is online.",
                count="{n}",
            ),
            "sent": _(
                "Your message has been sent. Your reference is %(reference)s.",
                reference="{reference}",
            ),
            "already": _(
                "That message had already been sent, so it is not kept on this phone any more."
            ),
            "deleted": _("The message is deleted from this phone."),
            "next": _("See what happens next"),
            "send_now": _("Try sending it now"),
            "delete_kept": _("Delete it from this phone"),
            "not_sent": _(
                "We could not send your message: this phone is not connected to the internet."
            ),
            "keep_why": _(
                "You can keep it on this phone and we will send it when you are online, or delete "
                "it. Anyone who uses this phone will not see your words, but they may see that a "
                "message is waiting."
            ),
            # A kept message goes without the steps about reaching the child (the page to
            # write offline has none of them): said before they choose, not after.
            "keep_anonymous": _(
                "A message kept on this phone is sent without how to reach you. We will answer "
                "you here, in My messages on this phone. Once it is sent, you can add to your "
                "message to tell us how to reach you."
            ),
            "keep": _("Keep it on this phone and send it when I'm online"),
            "discard": _("Delete it"),
            # A push's words in the language of this phone's pages (sw.js): the push itself
            # carries the same words in the service's language, written by a worker that
            # knows no child's language, for a phone that has not kept these.
            "news_title": council().app.name,
            "news": _("There's news about your message"),
            "not_saved": _(
                "This phone is not connected, so we could not save that. Your answers are still "
                "here: press the button again when you are online."
            ),
        }
    )


def chosen_for_offline() -> str:
    """The choices this page was made with (app/offline_choices.py): never the card, only
    how the pages are shown."""
    prefs = Preferences.current()
    return _named(i18n.chosen_language(), prefs.age, prefs.symbols, prefs.display)


@cache
def _named(
    lang: str | None, age: AgeBand | None, symbols: bool, display: frozenset[Display]
) -> str:
    """The header's text for these choices, made once for each way of choosing rather than on
    every page (issue 15): a few hundred at most, as each is an offered language or none, an
    age band or none, symbols or not, and some of the display choices."""
    return offline_choices.as_text(
        lang, age.value if age else None, symbols, [choice.value for choice in display]
    )


@bp.after_request
def name_the_choices(response: Response) -> Response:
    """Every child page tells the service worker the choices it was made with, in a header
    it reads as the page comes from the network: a page it shows from its cache offline
    never sets them, so an old kept page cannot undo the child's newest choice."""
    if request.method == "GET" and response.mimetype == "text/html":
        response.headers[offline_choices.HEADER] = chosen_for_offline()
    return response


@bp.app_template_global()
def apple_touch_icon() -> str:
    return icon_url("apple-touch")
