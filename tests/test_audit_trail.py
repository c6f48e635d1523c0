"""The audit trail is usable: filtered by person, contact reference, action and dates, times
in the council's zone, actions in words, keyset pages, and a CSV export that is audited and
safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Flask
from sqlalchemy import select

from app import audit
from app.extensions import db
from app.models import AuditEvent
from app.staff.audit_trail import AUDIT_PAGE, csv_cell
from tests.helpers import make_contact, record, soup
from tests.staff_helpers import make_staff, signed_in_client

SUMMER_NOON = dt.datetime(2026, 7, 1, 11, tzinfo=dt.UTC)  # noon in London (BST)


def rows(page: object) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup(page).select("main tbody tr")
    ]


def test_times_in_the_councils_zone_and_actions_in_words(app: Flask) -> None:
    app.config["FIXED_NOW"] = SUMMER_NOON
    contact = make_contact(received=SUMMER_NOON)
    record(contact, "read", role="customer_relations", now=SUMMER_NOON)
    db.session.commit()
    client, _ = signed_in_client(app, "head_of_service")
    found = rows(client.get(f"/staff/audit?reference={contact.reference.lower()}"))
    assert found and all(row[3] == contact.reference for row in found)
    assert "Wed 1 Jul 2026, 12:00:00pm" in found[0][0]  # BST, not 11:00 UTC
    assert found[0][2] == "Recorded: Read"
    text = soup(client.get("/staff/audit")).select_one("main").get_text(" ")
    assert "event:read" not in text and "signed_in" not in text and "Signed in" in text


def test_filters_by_person_action_and_dates(app: Flask) -> None:
    app.config["FIXED_NOW"] = SUMMER_NOON
    first = make_staff("customer_relations")
    second = make_staff("customer_relations")
    for day, person in ((1, first), (2, second), (3, first)):
        audit.record(
            db.session(), "viewed_tracker", now=SUMMER_NOON + dt.timedelta(days=day), staff=person
        )
    # 23:30 UTC on 2 July is half past midnight on 3 July in London.
    audit.record(
        db.session(), "signed_in", now=dt.datetime(2026, 7, 2, 23, 30, tzinfo=dt.UTC), staff=second
    )
    db.session.commit()
    client, _ = signed_in_client(app, "head_of_service")
    assert len(rows(client.get(f"/staff/audit?person={first.id}"))) == 2
    assert len(rows(client.get(f"/staff/audit?person={first.id}&action=viewed_tracker"))) == 2
    # 3 July in London: the day runs midnight to midnight there, not in UTC.
    dated = rows(client.get(f"/staff/audit?person={second.id}&since=2026-07-03&until=2026-07-03"))
    assert sorted(row[0] for row in dated) == [
        "Fri 3 Jul 2026, 12:00:00pm",
        "Fri 3 Jul 2026, 12:30:00am",
    ]
    assert len(rows(client.get("/staff/audit?action=viewed_tracker&since=2026-07-03"))) == 2
    page = soup(client.get(f"/staff/audit?person={second.id}"))
    assert page.select_one("#person option[selected]")["value"] == str(second.id)
    for bad in ("since=2026-13-01", "person=x", "action=made_up", "before=-1", "since=2026-7-1"):
        assert client.get(f"/staff/audit?{bad}").status_code == 400


def test_keyset_pages(app: Flask) -> None:
    app.config["FIXED_NOW"] = SUMMER_NOON
    person = make_staff("customer_relations")
    for n in range(AUDIT_PAGE + 5):
        audit.record(
            db.session(), "signed_in", now=SUMMER_NOON + dt.timedelta(minutes=n), staff=person
        )
    db.session.commit()
    client, _ = signed_in_client(app, "head_of_service")
    first = soup(client.get(f"/staff/audit?person={person.id}"))
    assert len(first.select("main tbody tr")) == AUDIT_PAGE
    older = soup(client.get(first.find("a", string="Older")["href"]))
    assert len(older.select("main tbody tr")) == 5
    assert older.find("a", string="Older") is None
    newer = soup(client.get(older.find("a", string="Newer")["href"]))
    assert [r.get_text() for r in newer.select("main tbody tr")] == [
        r.get_text() for r in first.select("main tbody tr")
    ]


def test_csv_export_is_escaped_filtered_and_audited(app: Flask) -> None:
    app.config["FIXED_NOW"] = SUMMER_NOON
    person = make_staff("customer_relations", name="=HYPERLINK(1)", email="=cmd@council.example")
    audit.record(db.session(), "signed_in", now=SUMMER_NOON, staff=person)
    audit.record(db.session(), "signed_out", now=SUMMER_NOON, staff=person)
    db.session.commit()
    client, head = signed_in_client(app, "head_of_service")
    export = client.get(f"/staff/audit.csv?person={person.id}&action=signed_in")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert table[0][:3] == ["When", "Who", "What"]
    assert len(table) == 2
    assert table[1][1] == "'=cmd@council.example"
    assert table[1][2] == "Signed in" and table[1][0] == "Wed 1 Jul 2026, 12:00:00pm"
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "exported_audit")
    ).all()
    assert [e.staff_id for e in exported] == [head.id]
    assert exported[0].details == {"person": str(person.id), "action": "signed_in"}


def test_cells_that_a_spreadsheet_would_run_are_escaped() -> None:
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(bad) == "'" + bad
    assert csv_cell("Jo") == "Jo" and csv_cell(None) == "" and csv_cell(5) == "5"
