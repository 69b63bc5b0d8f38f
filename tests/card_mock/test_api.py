"""The verifier API: only registered verifiers, by API key; answers logged and rate-limited."""

from __future__ import annotations

import base64
import time

import pytest
import sqlalchemy as sa

from card_mock.issuer import ratelimit
from card_mock.issuer.models import ApiCall

from .support import AINO
from .support import BROKER_ID
from .support import BROKER_KEY
from .support import READER_KEY


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        bearer("wrong-key-" + "w" * 32),
        basic(BROKER_ID, "wrong-key-" + "w" * 32),
        basic("someone-else", BROKER_KEY),
        bearer(BROKER_KEY[:20]),
        {"Authorization": "Digest username=x"},
    ],
    ids=["none", "wrong-bearer", "wrong-basic", "wrong-user", "short", "other-scheme"],
)
def test_without_valid_credentials_401(browser, headers):
    response = browser.get(f"/api/holders/{AINO.eid}", headers=headers)
    assert response.status_code == 401
    assert response.json == {"error": "unauthenticated"}
    assert "Basic" in response.headers["WWW-Authenticate"]
    assert AINO.national_id not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers", [bearer(BROKER_KEY), basic(BROKER_ID, BROKER_KEY)], ids=["bearer", "basic"]
)
def test_registered_verifier_gets_the_verified_attributes(browser, headers):
    response = browser.get(f"/api/holders/{AINO.eid}", headers=headers)
    assert response.status_code == 200
    assert response.json == {
        "eid": AINO.eid,
        "national_identity_number": AINO.national_id,
        "given_name": "Aino",
        "family_name": "Virtanen",
        "birthdate": "1970-01-01",
    }
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("eid", ["999999999A", "123456789" + "C", "not-an-eid"])
def test_unknown_holder_404(browser, eid):
    response = browser.get(f"/api/holders/{eid}", headers=bearer(BROKER_KEY))
    assert response.status_code == 404 and response.json == {"error": "not_found"}


def test_a_verifier_calls_only_what_it_is_registered_for(browser):
    response = browser.get(f"/api/holders/{AINO.eid}", headers=bearer(READER_KEY))
    assert response.status_code == 403


def test_every_call_is_logged_without_credentials(browser, ctx, caplog):
    caplog.set_level("INFO", logger="card_mock.issuer.api")
    browser.get(f"/api/holders/{AINO.eid}")
    browser.get(f"/api/holders/{AINO.eid}", headers=bearer(BROKER_KEY))
    calls = ctx.scalars(sa.select(ApiCall).order_by(ApiCall.id)).all()
    assert [(c.verifier_id, c.subject, c.status) for c in calls] == [
        (None, AINO.eid, 401),
        (BROKER_ID, AINO.eid, 200),
    ]
    assert BROKER_KEY not in caplog.text and "api.called" in caplog.text


@pytest.fixture
def one_minute(monkeypatch):
    """Counts are per calendar minute: hold the limiter's clock inside one."""
    start = int(time.time()) // 60 * 60 + 30
    monkeypatch.setattr(ratelimit, "now", lambda: start)


@pytest.mark.usefixtures("one_minute")
def test_a_verifier_is_rate_limited_per_verifier(make_issuer):
    client = make_issuer(VERIFIER_RATE_LIMIT_PER_MINUTE=3).test_client()
    statuses = [
        client.get(f"/api/holders/{AINO.eid}", headers=bearer(BROKER_KEY)).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@pytest.mark.usefixtures("one_minute")
def test_guessing_keys_is_rate_limited_per_address_and_spares_the_broker(make_issuer):
    client = make_issuer(API_RATE_LIMIT_PER_MINUTE=3).test_client()
    # Many calls of the registered broker from one address are not a guessing attack.
    ok = [
        client.get(f"/api/holders/{AINO.eid}", headers=bearer(BROKER_KEY)).status_code
        for _ in range(6)
    ]
    assert ok == [200] * 6
    guesses = [
        client.get(f"/api/holders/{AINO.eid}", headers=bearer("wrong-key")).status_code
        for _ in range(5)
    ]
    assert guesses == [401, 401, 401, 429, 429]
    # Once an address is over the limit, it is refused before any key is checked.
    assert client.get(f"/api/holders/{AINO.eid}", headers=bearer(BROKER_KEY)).status_code == 429


def test_api_is_not_a_page(browser):
    response = browser.get("/api/nothing-here", headers=bearer(BROKER_KEY))
    assert response.status_code == 404 and response.is_json
