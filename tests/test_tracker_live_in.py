"""A tracker staff can live in: search, the due date in words, filters that combine and stay in
the URL, every label in words, keyset pages, and a page in at most five SQL statements."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from sqlalchemy import select

from app import crypto, keys
from app.contacts import search
from app.extensions import db
from app.models import AuditEvent, Contact
from app.staff import tracker
from tests.helpers import (
    COUNCIL,
    close,
    make_contact,
    post_form,
    record,
    soup,
    statements_sent,
)
from tests.staff_helpers import make_staff, signed_in_client

MONDAY_NOON = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
RAW_CODES = re.compile(
    r"\b(not_kept|kept_well|customer_relations|senior_manager|in_person|"
    r"head_of_service|close_proposed|due_soon|on_time|10_plus|5_to_9)\b"
)


def references(page: object) -> list[str]:
    return [a.get_text(strip=True) for a in soup(page).select("#tracker tbody th a")]


def reach(name: str, phone: str) -> dict[str, Any]:
    return {"name": name, "how": "phone", "phone": phone}


@contextmanager
def counted() -> Iterator[list[str]]:
    # The test's own transaction turns each commit into a savepoint: not the page's work.
    with statements_sent(unless=("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")) as sent:
        yield sent


def busy_contacts(manager: Any, count: int = 30) -> list[Contact]:
    """Contacts as a real tracker holds them: many events, allocated, urgent, finished, with
    the child's feedback."""
    made = []
    for n in range(count):
        contact = make_contact(
            "praise" if n % 4 == 0 else "not_kept",
            received=MONDAY_NOON - DAY * (n % 9) - HOUR * n,
            urgent=n % 7 == 0,
            reach=reach(f"Child {n}", f"07700 900{n:03d}"),
        )
        at = contact.received_at
        record(contact, "read", role="customer_relations", now=at)
        record(contact, "note", role="customer_relations", now=at, text="Rang twice.")
        if n % 2 == 0:
            record(
                contact,
                "allocated",
                role="head_of_service",
                now=at,
                details={"staff_id": manager.id},
            )
            record(contact, "contact_failed", role="senior_manager", now=at)
        if n % 3 == 0:
            close(contact, at)
            record(
                contact,
                "feedback_given",
                now=at,
                details={"listened": "yes", "heard": "yes", "happy": "not_sure"},
            )
        made.append(contact)
    db.session.commit()
    return made


def test_a_page_and_its_refresh_take_at_most_five_statements(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    manager = make_staff("senior_manager")
    busy_contacts(manager)
    client, _ = signed_in_client(app, "head_of_service")
    for n, path in enumerate(
        (
            "/staff/tracker",
            "/staff/tracker?urgent=1&late=1",
            "/staff/tracker?last=1",
            "/staff/tracker?q=nobody+has+this+name",
            "/staff/tracker?q=Child+3",
        )
    ):
        # A minute on, as between real requests: the session's last-seen time is written.
        app.config["FIXED_NOW"] = MONDAY_NOON + (n + 1) * dt.timedelta(minutes=1)
        with counted() as statements:
            page = client.get(path)
        assert page.status_code == 200
        assert len(statements) <= 5, "\n".join(statements)
        # Never the encrypted columns: a search is an exact match on the keyed hashes.
        said = "\n".join(statements)
        assert not re.search(r"contact\.(reach|message|memorable_words)\b", said), said
        if "q=" in path:
            assert "contact_search.digest IN" in said, said
    rows = soup(client.get("/staff/tracker")).select("#tracker tbody tr")
    assert len(rows) == 25
    assert any("Feedback answered" in row.get_text() for row in rows)
    # The refresh every 30 seconds, of a full page of 25 rows and of a filtered one.
    for n, path in enumerate(("/staff/tracker", "/staff/tracker?urgent=1")):
        app.config["FIXED_NOW"] = MONDAY_NOON + dt.timedelta(minutes=5 + n)
        with counted() as statements:
            refresh = client.get(path, headers={"HX-Request": "true", "Auto-Refresh": "true"})
        assert refresh.status_code == 200 and len(statements) <= 5, "\n".join(statements)
        if path == "/staff/tracker":
            assert len(soup(refresh).select("#tracker tbody tr")) == 25
    # Never the encrypted columns: the list has no use for the child's words.
    tracker_sql = " ".join(statements)
    assert "contact.message" not in tracker_sql and "contact.reach" not in tracker_sql


def test_every_label_is_in_words(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    manager = make_staff("senior_manager")
    busy_contacts(manager, count=8)
    client, _ = signed_in_client(app, "head_of_service")
    text = soup(client.get("/staff/tracker")).select_one("main").get_text(" ")
    assert not RAW_CODES.search(text), RAW_CODES.search(text)


def test_the_deadline_in_words_in_the_councils_zone_beside_the_hours_left(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    # Sent Monday 16:50 in summer time would differ; November is GMT. Monday 10:50 UTC.
    make_contact(received=dt.datetime(2026, 11, 23, 10, 50, tzinfo=dt.UTC))
    summer = make_contact(received=dt.datetime(2026, 6, 1, 15, 50, tzinfo=dt.UTC))  # 16:50 BST
    client, _ = signed_in_client(app, "customer_relations")
    page = soup(client.get("/staff/tracker"))
    rows = {
        row.th.a.get_text(strip=True): row.get_text(" ") for row in page.select("#tracker tbody tr")
    }
    texts = list(rows.values())
    assert any("Wed 25 Nov, 10:50am" in t and "due in 46 working hours" in t for t in texts)
    assert "Wed 3 Jun, 4:50pm" in rows[summer.reference]
    assert "working hours late" in rows[summer.reference]


def test_filters_combine_stay_in_the_url_and_are_shown_as_chosen(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, me = signed_in_client(app, "head_of_service")
    late_urgent = make_contact(received=MONDAY_NOON - 9 * DAY, urgent=True)
    late = make_contact(received=MONDAY_NOON - 9 * DAY)
    # Due today: sent Thursday 23:00 UTC (GMT), due the end of Monday... Saturday noon is due
    # the end of Tuesday; Thursday 13:00 is due Monday 13:00, today.
    today = make_contact(received=dt.datetime(2026, 11, 19, 13, tzinfo=dt.UTC))
    mine = make_contact(received=MONDAY_NOON - HOUR)
    record(mine, "allocated", role="head_of_service", now=MONDAY_NOON, details={"staff_id": me.id})
    proposed = make_contact(received=MONDAY_NOON - 2 * HOUR)
    record(
        proposed, "allocated", role="head_of_service", now=MONDAY_NOON, details={"staff_id": me.id}
    )
    record(proposed, "spoke_to_child", role="senior_manager", now=MONDAY_NOON)
    record(proposed, "close_proposed", role="senior_manager", now=MONDAY_NOON, text="Done.")
    finished = make_contact(received=MONDAY_NOON - 3 * HOUR)
    close(finished, MONDAY_NOON)
    db.session.commit()

    def refs(query: str) -> set[str]:
        return set(references(client.get(f"/staff/tracker?{query}")))

    assert refs("urgent=1") == {late_urgent.reference}
    assert refs("late=1") == {late_urgent.reference, late.reference}
    assert refs("late=1&urgent=1") == {late_urgent.reference}
    assert refs("due_today=1") == {today.reference}
    assert refs("unallocated=1") == {late_urgent.reference, late.reference, today.reference}
    assert refs("mine=1") == {mine.reference, proposed.reference}
    assert refs("proposed=1") == {proposed.reference}
    assert refs("proposed=1&mine=1") == {proposed.reference}
    assert refs("proposed=1&urgent=1") == set()
    page = soup(client.get("/staff/tracker?urgent=1&late=1"))
    assert page.select_one("#filter-urgent").has_attr("checked")
    assert page.select_one("#filter-late").has_attr("checked")
    assert not page.select_one("#filter-mine").has_attr("checked")
    assert "showing only" in page.select_one("#tracker").get_text()
    # The htmx refresh asks for the same filters.
    assert "urgent=1" in page.select_one("#tracker")["hx-get"]
    assert "late=1" in page.select_one("#tracker")["hx-get"]
    row = page.select_one("#tracker tbody tr")
    assert (
        "Closing proposed"
        in soup(client.get("/staff/tracker?proposed=1")).select_one("#tracker tbody tr").get_text()
    )
    assert row is not None


def test_filter_by_the_team_it_is_about(app: Flask) -> None:
    """The tracker could not filter by team: now by the team the child said it happened in,
    as last recorded, from a column the rules keep (not a look into every contact's events)."""
    first, second = COUNCIL.staff.teams[0], COUNCIL.staff.teams[1]
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "head_of_service")
    moved, about_second, nothing = (make_contact(received=MONDAY_NOON - HOUR) for _ in range(3))
    record(
        moved,
        "about_recorded",
        role="customer_relations",
        now=MONDAY_NOON,
        details={"team": second.key},
    )
    record(
        moved,
        "about_recorded",
        role="customer_relations",
        now=MONDAY_NOON,
        details={"team": first.key},
    )  # the latest stands
    record(
        about_second,
        "about_recorded",
        role="customer_relations",
        now=MONDAY_NOON,
        details={"team": second.key},
    )
    db.session.commit()
    assert set(references(client.get(f"/staff/tracker?team={first.key}"))) == {moved.reference}
    assert set(references(client.get(f"/staff/tracker?team={second.key}"))) == {
        about_second.reference
    }
    assert nothing.reference in references(client.get("/staff/tracker"))
    page = soup(client.get(f"/staff/tracker?team={second.key}"))
    assert page.select_one("#team option[selected]").get_text() == second.name
    assert f"team={second.key}" in page.select_one("#tracker")["hx-get"]
    assert f"about {second.name}" in page.select_one("#tracker").get_text()
    assert second.key not in page.select_one("#tracker p").get_text()  # its name, not its code
    assert page.find("label", attrs={"for": "team"}).get_text() == "The team it is about"
    assert client.get("/staff/tracker?team=no-such-team").status_code == 400
    with counted() as statements:
        assert client.get(f"/staff/tracker?team={first.key}&urgent=1").status_code == 200
    assert len(statements) <= 5, "\n".join(statements)


def test_head_of_service_sees_allocated_contacts_with_no_update(app: Flask) -> None:
    days = COUNCIL.response.no_update_working_days
    app.config["FIXED_NOW"] = MONDAY_NOON
    client, _ = signed_in_client(app, "head_of_service")
    manager = make_staff("senior_manager")
    long_ago = MONDAY_NOON - (days + 4) * DAY  # more than N working days, weekends and all
    quiet = make_contact(received=long_ago)
    record(
        quiet, "allocated", role="head_of_service", now=long_ago, details={"staff_id": manager.id}
    )
    record(quiet, "note", role="senior_manager", now=MONDAY_NOON, text="Staff only.")
    updated = make_contact(received=long_ago)
    record(
        updated, "allocated", role="head_of_service", now=long_ago, details={"staff_id": manager.id}
    )
    record(updated, "contact_failed", role="senior_manager", now=MONDAY_NOON - HOUR)
    never_allocated = make_contact(received=long_ago)
    db.session.commit()
    page = client.get("/staff/tracker?quiet=1")
    assert set(references(page)) == {quiet.reference}
    assert never_allocated.reference not in references(page)
    label = f"No update for {days} working days"
    assert label in soup(page).select_one("#tracker tbody tr").get_text()
    assert label in soup(page).select_one("form.filters").get_text()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  jo   SMITH ", "jo smith"),
        ("Jo Smith", "jo smith"),
    ],
)
def test_names_are_normalised(typed: str, expected: str) -> None:
    assert search.normalise_name(typed) == expected


@pytest.mark.parametrize(
    "typed", ["07700 900982", "+44 7700 900982", "+44 (0)7700 900 982", "0044-7700-900-982"]
)
def test_phone_numbers_are_normalised(typed: str) -> None:
    assert search.normalise_phone(typed) == "07700900982"


def test_search_by_reference_name_or_phone(app: Flask) -> None:
    app.config["FIXED_NOW"] = MONDAY_NOON
    jo = make_contact(received=MONDAY_NOON - HOUR, reach=reach("Jo Smith", "07700 900982"))
    other = make_contact(received=MONDAY_NOON - HOUR, reach=reach("Sam", "07700 900111"))
    client, _ = signed_in_client(app, "customer_relations")
    for typed in (
        jo.reference.lower(),
        " ".join(jo.reference),
        "JO  smith",
        "+44 7700 900 982",
        "０７７００９００９８２",  # full-width digits, as a phone keyboard may give
    ):
        assert references(client.get("/staff/tracker", query_string={"q": typed})) == [
            jo.reference
        ], typed
    for typed in ("Jo", "900982", "Smith", "07700 900983"):
        assert references(client.get("/staff/tracker", query_string={"q": typed})) == [], typed
    assert other.reference not in references(client.get("/staff/tracker?q=jo+smith"))
    # Nothing about what was typed goes into the audit trail.
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "viewed_tracker"))
    assert all("smith" not in str(view.details).lower() for view in views)


def test_what_is_searched_for_never_enters_an_address(app: Flask) -> None:
    """The form posts the words; the tracker's address, and every link on its page, carry
    them sealed: no child's name or number in the browser's history or the proxy's log."""
    app.config["FIXED_NOW"] = MONDAY_NOON
    jo = make_contact(received=MONDAY_NOON - HOUR, reach=reach("Jo Smith", "07700 900982"))
    for n in range(30):  # more than a page: the next-page links carry the search too
        make_contact(received=MONDAY_NOON - HOUR, reach=reach(f"Jo Smith {n}", "07700 900111"))
    client, _ = signed_in_client(app, "customer_relations")
    for typed, found in (("JO  smith", [jo.reference]), ("07700 900111", None)):
        sent = post_form(client, "/staff/tracker", q=typed, unallocated="1")
        assert sent.status_code == 303
        address = sent.headers["Location"]
        assert "unallocated=1" in address and "found=" in address
        # The sealed words are random letters, which may spell "jo" by chance: the words are
        # looked for in the rest of the address, and the sealed value must open to them.
        sealed = parse_qs(urlsplit(address).query)["found"][0]
        assert crypto.unseal(sealed, tracker.SEARCH_KEPT_SECONDS) == typed.strip()
        for part in ("jo", "smith", "07700", "900"):
            assert part not in re.sub("found=[^&]*", "", address).lower(), (part, address)
        page = client.get(address)
        assert page.status_code == 200
        shown = soup(page)
        if found is not None:
            assert references(page) == found
        else:
            assert len(references(page)) == 25  # the first page of the thirty
        search_box = shown.select_one("input[name=q]")
        assert search_box is not None and search_box["value"] == typed.strip()
        links = [str(a["href"]) for a in shown.select("#tracker a[href^='/staff/tracker']")]
        assert found is not None or any("after=" in link for link in links)
        for link in [*links, str(shown.select_one("#tracker")["hx-get"])]:
            assert "found=" in link, link
            rest = re.sub("found=[^&]*", "", link)
            assert "smith" not in rest.lower() and "07700" not in rest, link


def test_a_sealed_search_changed_or_a_day_old_is_refused(app: Flask) -> None:
    client, _ = signed_in_client(app, "customer_relations")
    sealed = crypto.seal("Jo Smith")
    assert client.get("/staff/tracker", query_string={"found": sealed}).status_code == 200
    changed = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    assert client.get("/staff/tracker", query_string={"found": changed}).status_code == 400
    assert client.get("/staff/tracker", query_string={"found": "Jo Smith"}).status_code == 400
    key = Fernet(app.config["ENCRYPTION_KEYS"][0].encode())
    yesterday = int(time.time()) - tracker.SEARCH_KEPT_SECONDS - 60
    old = key.encrypt_at_time(b"Jo Smith", yesterday).decode()
    assert client.get("/staff/tracker", query_string={"found": old}).status_code == 400


def test_search_keeps_working_through_a_key_rotation(app: Flask) -> None:
    old = app.config["ENCRYPTION_KEYS"][0]
    try:
        crypto.configure([old])
        jo = make_contact(reach=reach("Jo Smith", "07700 900982"))
        client, _ = signed_in_client(app, "customer_relations")
        new = crypto.new_key()
        crypto.configure([new, old])  # the new key first: found by the old key's hashes still
        assert references(client.get("/staff/tracker?q=jo+smith")) == [jo.reference]
        counts = keys.rotate(db.session(), size=1, commit=db.session.commit)
        assert counts["contact_search"] == 1
        crypto.configure([new])  # the old key removed: found by the new key's hashes
        assert references(client.get("/staff/tracker?q=jo+smith")) == [jo.reference]
        assert references(client.get("/staff/tracker?q=07700900982")) == [jo.reference]
    finally:
        crypto.configure(app.config["ENCRYPTION_KEYS"])


@pytest.mark.parametrize(
    "query",
    [
        "after=1.2",
        "after=a.b.c",
        "before=1.2.99999999999",
        "after=1.999999999999999999.1",
        "q=" + "x" * 101,
        "q=%00",
    ],
)
def test_a_cursor_or_search_no_link_of_ours_makes_is_refused(app: Flask, query: str) -> None:
    client, _ = signed_in_client(app, "customer_relations")
    assert client.get(f"/staff/tracker?{query}").status_code == 400


def test_a_long_list_is_counted_up_to_a_limit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.staff import tracker

    monkeypatch.setattr(tracker, "COUNT_UP_TO", 3)
    app.config["FIXED_NOW"] = MONDAY_NOON
    for n in range(5):
        make_contact(received=MONDAY_NOON - n * HOUR)
    client, _ = signed_in_client(app, "customer_relations")
    assert "More than 3 contacts" in soup(client.get("/staff/tracker")).get_text()
    make_contact(received=MONDAY_NOON, urgent=True)
    assert (
        "1 contact"
        in soup(client.get("/staff/tracker?urgent=1")).select_one("#tracker p").get_text()
    )
