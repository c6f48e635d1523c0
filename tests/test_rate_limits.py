"""Rate limits: figures from configuration, counted per child's address behind the TLS proxy.

Behind a proxy every request comes from the proxy's address; with PROXY_COUNT=1 the app
believes the address the proxy adds to X-Forwarded-For, so each child has their own count.
Without a proxy (PROXY_COUNT=0) the header is the child's own words and is ignored, so nobody
can slip past a limit by claiming another address.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from tests.helpers import make_contact, post_form, settings_for, soup
from tests.journey import fill_in, send, send_message


def test_the_send_limit_is_a_figure_in_the_configuration(app: Flask) -> None:
    app.config["LIMIT_SEND"] = "2 per hour"
    send_message(app.test_client())
    send_message(app.test_client())
    third = app.test_client()  # another child at the same address (a children's home)
    fill_in(third)
    refused = send(third)
    assert refused.status_code == 429
    assert "Too many tries" in refused.get_data(as_text=True)  # the kind page, as before


def test_flask_limiter_runs_only_in_the_views_it_limits(app: Flask) -> None:
    """Nothing of Flask-Limiter's before or after every request (app/extensions.py): the
    limits above are checked in their views all the same, and no response needs its headers."""
    hooks = [*app.before_request_funcs.get(None, []), *app.after_request_funcs.get(None, [])]
    owners = {getattr(getattr(hook, "func", hook), "__module__", "") for hook in hooks}
    assert not any(owner.startswith("flask_limiter") for owner in owners), owners
    assert not app.config["RATELIMIT_HEADERS_ENABLED"]


def test_the_send_limit_allows_what_its_figure_allows(app: Flask) -> None:
    app.config["LIMIT_SEND"] = "3 per hour"
    for _ in range(3):
        send_message(app.test_client())


@pytest.fixture(params=[0, 1], ids=["no-proxy", "one-proxy"])
def proxied(request: pytest.FixtureRequest, app: Flask, database_url: str) -> Iterator[Flask]:
    """An app of its own, made with PROXY_COUNT (ProxyFix is applied when the app is made)."""
    own = create_app(
        settings_for(database_url, PROXY_COUNT=request.param, LIMIT_STATUS_LOOKUP="2 per hour")
    )
    yield own
    with own.app_context():
        db.session.remove()
        db.engine.dispose()


def phone_behind_proxy(app: Flask, address: str) -> FlaskClient:
    """A phone whose requests reach the app through the proxy at 127.0.0.1."""
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "127.0.0.1"
    phone.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return phone


def look_up(phone: FlaskClient, reference: str = "ABCDEF", words: str = "a b c") -> Any:
    return post_form(phone, "/messages/find", reference=reference, words=words)


@pytest.mark.commits  # an app of its own, on its own connections
def test_the_lookup_limit_counts_each_address_the_proxy_saw(proxied: Flask) -> None:
    first, second = (phone_behind_proxy(proxied, a) for a in ("198.51.100.7", "198.51.100.8"))
    assert [look_up(first).status_code for _ in range(2)] == [200, 200]
    assert look_up(first).status_code == 429
    if proxied.config["PROXY_COUNT"]:
        assert look_up(second).status_code == 200  # another child, counted on their own
    else:
        assert look_up(second).status_code == 429  # the header is ignored: the same address


def reference_error(response: Any) -> str:
    summary = soup(response).select_one(".error-summary")
    assert summary is not None, response.status_code
    return summary.get_text(" ", strip=True)


@pytest.mark.commits
def test_wrong_words_are_counted_for_each_address_the_proxy_saw(proxied: Flask) -> None:
    proxied.config["LIMIT_STATUS_LOOKUP"] = "100 per hour"  # the throttle, not the limit, here
    reference = make_contact().reference
    db.session.remove()  # reading the reference began a transaction: end it, as a request would
    stranger, child = (phone_behind_proxy(proxied, a) for a in ("203.0.113.5", "203.0.113.6"))
    for _ in range(3):  # three wrong tries start a wait for this address
        assert "not right" in reference_error(look_up(stranger, reference, "wrong words here"))
    assert "Too many wrong tries from here" in reference_error(look_up(stranger, reference))
    said = reference_error(look_up(child, reference, "still wrong words"))
    if proxied.config["PROXY_COUNT"]:
        assert "not right" in said  # the child's own address has no wait
    else:
        assert "Too many wrong tries from here" in said
