"""Whatever arrives at a step, the answer is never a 5xx, and never loses the other answers."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import csrf_token, soup
from tests.journey import STEPS, fill_in

FIELDS = {
    "kind",
    "promises",
    "words",
    "praise_name",
    "praise_role",
    "praise_may_pass_on",
    "name",
    "how",
    "phone",
    "email",
    "best_time",
    "leave_message",
    "language",
    "interpreter",
    "helps",
    "helps_other",
    "advocate",
    "helper",
    "submission_key",
}
NASTY = st.sampled_from(
    [
        "x" * 100_000,  # 100 KB
        "\x00\x00nul",  # NUL bytes
        "مرحبا، كيف حالك؟",  # right to left
        "\u202eevil\u202c",  # a direction override
        "👩‍👩‍👧‍👦🏳️‍🌈🙂" * 50,  # emoji, joined
        "<script>alert(1)</script>",
        "'; DROP TABLE contact; --",
        "",
        " ",
        "07700 900 982",
        "jo@example.com",
        "kept_well",
        "other",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=300))
FORMS = st.dictionaries(
    st.sampled_from(sorted(FIELDS)), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=8
)
TOKENS = st.sampled_from(["good", "missing", "wrong"])
URLS = st.sampled_from(
    [
        *(f"/tell-us/{step}" for step in STEPS),
        "/tell-us/send",
        "/tell-us/not-safe",
        "/tell-us/what?change=1",
    ]
)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(url=URLS, form=FORMS, token=TOKENS)
def test_any_input_to_any_step(
    client: FlaskClient, url: str, form: dict[str, Any], token: str
) -> None:
    if client.get_cookie("session") is None:
        fill_in(client)
    good = csrf_token(client.get("/tell-us/check").get_data(as_text=True))
    data: dict[str, Any] = dict(form)
    if token == "good":
        data["csrf_token"] = good
    elif token == "wrong":
        data["csrf_token"] = "not-" + good
    response = client.post(url, data=data)
    assert response.status_code < 500
    if response.status_code == 200 and url != "/tell-us/not-safe":
        page = soup(response)
        summary = page.select_one(".error-summary")
        assert summary is not None and summary.select("a"), "an answer came back with no reason"
        assert page.title.get_text().startswith("Error: ")
    # Whatever happened, the other answers are still there (or the message was sent).
    check = client.get("/tell-us/check")
    assert check.status_code in (200, 302)
    if check.status_code == 200:
        # Only the question of how to reach the child may change how to reach them.
        shown = soup(check).select_one("main")
        assert shown is not None
        assert "Phone call" in shown.get_text() or url == "/tell-us/how", shown.get_text(
            " ", strip=True
        )
    else:
        fill_in(client)
