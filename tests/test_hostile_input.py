"""Bad input never reaches a 5xx: the hostile corpus (tests/hostile.py) at every URL, as a
child, a stranger, anonymous staff and every staff role, on SQLite and PostgreSQL."""

from __future__ import annotations

from flask import Flask

from tests.hostile import fire


def test_no_hostile_request_gets_a_server_error(app: Flask) -> None:
    tally = fire(app)
    print(tally.summary())  # the figure the issue note asks for (pytest -s, or -rP)
    assert tally.requests > 4000, "the corpus no longer reaches the URLs it should"
    assert not tally.failures, f"{tally.summary()}\ncauses: {dict(tally.causes)}\n" + "\n".join(
        tally.failures[:40]
    )
