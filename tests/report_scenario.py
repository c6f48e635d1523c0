"""A known set of contacts for the report, made by the factories, with every figure worked out
by hand (below, beside each group) from the 48-hour clock in DESIGN.md: Monday to Friday,
never on a bank holiday in England, in Europe/London (GMT in these winter months, so UTC).

The period is 1 December 2025 to 28 February 2026 (90 days); "now" is Monday 2 March 2026,
12:00. The period before it (for recurring themes) is 2 September to 30 November 2025.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from app import closing_loop, contacts
from app.extensions import db
from app.models import Contact, PromiseAwareness
from app.reports import Period
from tests.helpers import A_PROMISE, COUNCIL, OFFICE, make_contact, record
from tests.staff_helpers import make_staff

UTC = dt.UTC
PERIOD = Period(dt.date(2025, 12, 1), dt.date(2026, 2, 28))
NOW = dt.datetime(2026, 3, 2, 12, tzinfo=UTC)
OTHER_PROMISE = COUNCIL.promises[1].key
THEME, SECOND_THEME, THIRD_THEME = COUNCIL.staff.themes[:3]
WORDS = "Nobody rings me back <please>."
PRAISED = "Sam Example"
# How to reach two of the children: never in the report.
PHONE = {"name": "Jo Reachme", "how": "phone", "phone": "07700 900123"}
EMAIL = {"name": "Jo Reachme", "how": "email", "email": "jo.reachme@example.org"}
SECRETS = (
    WORDS[:20],
    PRAISED,
    "Jo Reachme",
    "07700",
    "jo.reachme",
    "Carla Logger",
    "Vic Writer",
)
CHANGED = ("Nobody rang us back on Fridays", "someone now answers every Friday until 6pm")


@dataclass
class Seeded:
    contacts: list[Contact] = field(default_factory=list)


def _at(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def seed() -> Seeded:
    made = Seeded()

    def contact(kind: str, received: dt.datetime, **changes: object) -> Contact:
        found = make_contact(kind, received=received, words=WORDS, **changes)  # type: ignore[arg-type]
        made.contacts.append(found)
        return found

    # A: 7 not kept, Monday 5 January 10:00, spoken to at 11:00 (60 working minutes; due Wed
    # 10:00: met). Five are closed the next day with THEME (two with SECOND_THEME too), and
    # answer "How did we do?" two days later: listened 3 yes 2 no, heard 5 yes, happy 4 yes
    # 1 not sure.
    answers = [
        ("yes", "yes", "yes"),
        ("yes", "yes", "yes"),
        ("yes", "yes", "yes"),
        ("no", "yes", "yes"),
        ("no", "yes", "not_sure"),
    ]
    for n in range(7):
        found = contact("not_kept", _at(2026, 1, 5, 10), age_band="10_plus")
        record(found, "spoke_to_child", role="customer_relations", now=_at(2026, 1, 5, 11))
        if n < 5:
            themes = [THEME, SECOND_THEME] if n < 2 else [THEME]
            record(
                found,
                "closed",
                role="customer_relations",
                now=_at(2026, 1, 6, 9),
                text="Sorted.",
                details={"themes": themes},
            )
            listened, heard, happy = answers[n]
            record(
                found,
                "feedback_given",
                now=_at(2026, 1, 8, 9),
                details={"listened": listened, "heard": heard, "happy": happy},
            )
    # B: 3 kept well, Saturday 10 January 14:00 (due Wednesday 14 January 00:00, the end of
    # Tuesday), about the other promise, age 5 to 9; spoken to Tuesday 23:00: met, after 47
    # working hours (2,820 minutes).
    for _ in range(3):
        found = contact(
            "kept_well", _at(2026, 1, 10, 14), age_band="5_to_9", promises=(OTHER_PROMISE,)
        )
        record(found, "spoke_to_child", role="customer_relations", now=_at(2026, 1, 13, 23))
    # C: 2 not kept on Christmas Eve, Wednesday 24 December 16:00, helped by a carer, age under
    # 5. Counted: 8 hours that Wednesday, nothing on 25 and 26 December (bank holidays) or the
    # weekend, 24 on Monday 29, so due Tuesday 30 December 16:00. Spoken to at 17:00: late,
    # after 49 working hours (2,940 minutes).
    for _ in range(2):
        found = contact(
            "not_kept", _at(2025, 12, 24, 16), age_band="under_5", helper="carer", reach=PHONE
        )
        record(found, "spoke_to_child", role="customer_relations", now=_at(2025, 12, 30, 17))
    # D: 1 praise for a social worker, Friday 27 February 10:00, due Tuesday 3 March 10:00:
    # not yet spoken to and not late at NOW. The child said the thanks may go straight away:
    # passed on.
    found = contact(
        "praise",
        _at(2026, 2, 27, 10),
        age_band="10_plus",
        praise_role="social_worker",
        praise_name=PRAISED,
        praise_may_pass_on=True,
    )
    record(
        found,
        "praise_passed_on",
        role="head_of_service",
        now=_at(2026, 2, 27, 11),
        details={"who": PRAISED},
    )
    # E: 2 praise for a carer, Monday 2 February 10:00, due Wednesday 4 February 10:00, never
    # spoken to: late at NOW. The first was marked urgent by the child.
    for n in range(2):
        contact(
            "praise",
            _at(2026, 2, 2, 10),
            age_band="10_plus",
            praise_role="carer",
            praise_name=PRAISED,
            urgent=n == 0,
        )
    # F: 1 not kept, emailed on New Year's Day, Thursday 1 January 09:00 (a bank holiday), with
    # no age band, logged by customer relations on Friday 2 January. Counted: nothing on the 1st,
    # 24 hours on Friday, none at the weekend, 24 on Monday 5: due Tuesday 6 January 00:00.
    # Spoken to Monday 5 January 12:00: met, after 36 working hours (2,160 minutes).
    logger = make_staff("customer_relations", "Carla Logger")
    emailed = contacts.submit(
        db.session(),
        contacts.Answers(
            kind="not_kept",
            promises=(A_PROMISE,),
            words=WORDS,
            helper="nobody",
            reach=EMAIL,
        ),
        submission_key=uuid.uuid4().hex,
        access_secret=contacts.new_access_secret(),
        memorable_words="",
        now=_at(2026, 1, 2, 9),
        office=OFFICE,
        channel="email",
        received_at=_at(2026, 1, 1, 9),
        logged_by=logger,
    )
    db.session.commit()
    made.contacts.append(emailed)
    record(emailed, "spoke_to_child", staff=logger, now=_at(2026, 1, 5, 12))
    # Outside the period, not counted: one the day after it, and one in the period before,
    # closed then with THEME for A_PROMISE (THEME recurs for it) and THIRD_THEME (does not).
    contact("not_kept", _at(2026, 3, 1, 10), age_band="10_plus")
    before = contact("not_kept", _at(2025, 11, 20, 10), age_band="10_plus")
    record(before, "spoke_to_child", role="customer_relations", now=_at(2025, 11, 20, 11))
    record(
        before,
        "closed",
        role="customer_relations",
        now=_at(2025, 11, 21, 9),
        text="Sorted.",
        details={"themes": [THEME, THIRD_THEME]},
    )
    # You said, we did: one published in February (in the young people's version), one
    # published in November (before the period) and one not published (neither).
    writer = make_staff("vic", "Vic Writer")
    for said, published in (
        (CHANGED[0], _at(2026, 2, 3, 9)),
        ("Before the period", _at(2025, 11, 3, 9)),
        ("Still a draft", None),
    ):
        item = closing_loop.write_item(
            db.session(),
            promise_key=A_PROMISE,
            you_said=said,
            we_did=CHANGED[1],
            promise_keys=list(COUNCIL.promises_by_key),
            by=writer,
            now=_at(2025, 11, 1, 9),
        )
        if published is not None:
            closing_loop.publish_item(db.session(), item.id, by=writer, now=published)
    # Promise awareness: January 4 yes of 5 reviews (80%), February 12 yes of 17 (71%); in all
    # 16 of 22 (73%). One review in November is outside the period.
    reviews = [
        (dt.date(2026, 1, 7), 4, 5),
        (dt.date(2026, 2, 11), 12, 17),
        (dt.date(2025, 11, 3), 1, 1),
    ]
    for day, yes, total in reviews:
        for n in range(total):
            db.session.add(
                PromiseAwareness(
                    reviewed_on=day, age_band="10_plus", shared=n < yes, recorded_at=NOW
                )
            )
    db.session.commit()
    return made


# Every figure, by hand.
TOTAL = 16
BY_KIND = {"not_kept": 10, "kept_well": 3, "praise": 3}
BY_PROMISE = {A_PROMISE: 13, OTHER_PROMISE: 3}
BY_AGE_BAND = {"10_plus": 10, "5_to_9": 3, "under_5": 2, None: 1}
BY_CHANNEL = {"app": 15, "email": 1}
BY_HELPER = {"nobody": 14, "carer": 2}
PRAISE_BY_ROLE = {"social_worker": 1, "carer": 2}
LATENESS = {"met": 11, "met_late": 2, "late": 2, "on_time": 1}
DEADLINE_PASSED_OR_MET = 15  # all but D
MET_RATE = 73  # 11 of 15
STILL_OPEN = 11  # 2 of A, 3 B, 2 C, D, 2 E, F
LATE = 2
URGENT = 1  # the first of E
MEDIAN_HOURS = 1.0  # 13 reached: the 7th smallest of 60 x7, 2,160, 2,820 x3, 2,940 x2 minutes
P90_HOURS = 49.0  # the 12th (nearest rank: 0.9 x 13 = 11.7, up to 12)
FEEDBACK = {
    "listened": {"yes": 3, "not_sure": 0, "no": 2},
    "heard": {"yes": 5, "not_sure": 0, "no": 0},
    "happy": {"yes": 4, "not_sure": 1, "no": 0},
}
FEEDBACK_ANSWERED = 5
THEMES = {THEME: 5, SECOND_THEME: 2}
RECURRING = [(A_PROMISE, THEME)]
PRAISE_PASSED_ON = 1
AWARENESS = [(dt.date(2026, 1, 1), 4, 5), (dt.date(2026, 2, 1), 12, 17)]
