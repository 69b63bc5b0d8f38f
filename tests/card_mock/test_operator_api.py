"""The operator API (`silta card`): authenticated, permission-checked, nothing stored on error."""

from __future__ import annotations

import re

import pkcs11
import pytest
import sqlalchemy as sa

from card_mock.issuer.models import ApiCall
from card_mock.issuer.models import Card as CardRow
from card_mock.issuer.models import Issuance
from card_mock.issuer.models import ResetAuthorisation
from card_mock.issuer.verifiers import CARDS_READ
from card_mock.issuer.verifiers import OPERATOR_PERMISSIONS
from card_mock.issuer.verifiers import hash_api_key
from card_mock.token import Card
from card_mock.token import card_label
from card_mock.token.store import CARD_LABEL_PREFIX

from .support import AINO
from .support import BROKER_KEY
from .support import MIKKO
from .support import READER_KEY
from .support import issuer_config

OPERATOR_ID, OPERATOR_KEY = "silta-operator", "operator-key-" + "o" * 32
AUDITOR_ID, AUDITOR_KEY = "auditor", "auditor-key-" + "a" * 32
INITIAL_PIN = "482913"


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


OPERATOR, AUDITOR = bearer(OPERATOR_KEY), bearer(AUDITOR_KEY)


@pytest.fixture
def issuer_app(make_issuer, tmp_path):
    """The test issuer plus an operator with every card permission and a read-only auditor."""
    parties = issuer_config(tmp_path / "issuer")["VERIFIERS"] + [
        {
            "id": OPERATOR_ID,
            "api_key_sha256": hash_api_key(OPERATOR_KEY),
            "permissions": list(OPERATOR_PERMISSIONS),
        },
        {
            "id": AUDITOR_ID,
            "api_key_sha256": hash_api_key(AUDITOR_KEY),
            "permissions": [CARDS_READ],
        },
    ]
    return make_issuer(VERIFIERS=parties)


def issue_via_api(browser, holder=AINO, pin: str = INITIAL_PIN) -> dict:
    response = browser.post("/api/cards", json={"holder": holder.eid, "pin": pin}, headers=OPERATOR)
    assert response.status_code == 201, response.json
    return response.json


def stored(ctx, parts) -> tuple:
    """Everything an issuance or a reset would leave behind."""
    ctx.expire_all()
    return (
        ctx.scalars(sa.select(CardRow.serial)).all(),
        ctx.scalars(sa.select(Issuance.serial)).all(),
        ctx.scalars(sa.select(ResetAuthorisation.id)).all(),
        parts.tokens.labels(CARD_LABEL_PREFIX),
    )


OPERATOR_CALLS = [
    ("get", "/api/cards", None),
    ("post", "/api/cards", {"holder": AINO.eid, "pin": INITIAL_PIN}),
    ("get", "/api/cards/1000000000", None),
    ("post", "/api/cards/1000000000/revoke", {"reason": "lost"}),
    ("post", "/api/cards/1000000000/reset-authorisations", {"identity_checked": True}),
]


@pytest.mark.parametrize(("method", "path", "body"), OPERATOR_CALLS)
@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), (bearer("wrong-key-" + "w" * 32), 401), (bearer(BROKER_KEY), 403)],
    ids=["none", "wrong-key", "broker-verifier"],
)
def test_operator_calls_need_an_operator(browser, ctx, parts, method, path, body, headers, status):
    response = getattr(browser, method)(path, json=body, headers=headers)
    assert response.status_code == status
    assert stored(ctx, parts) == ([], [], [], [])


@pytest.mark.parametrize(("method", "path", "body"), OPERATOR_CALLS[1:2] + OPERATOR_CALLS[3:])
def test_a_read_only_operator_changes_nothing(browser, ctx, parts, method, path, body):
    response = getattr(browser, method)(path, json=body, headers=AUDITOR)
    assert response.status_code == 403 and response.json == {"error": "forbidden"}
    assert stored(ctx, parts) == ([], [], [], [])


def test_issue_puts_the_initial_pin_on_a_new_token(browser, parts, ctx, caplog):
    caplog.set_level("INFO")
    card = issue_via_api(browser)
    assert card["holder"] == AINO.eid and card["status"] == "active"
    assert card["name"] == "Aino Virtanen" and card["key_algorithm"] == "EC-P256"
    token = parts.tokens.find(card_label(card["serial"]))
    with Card.open(token, pin=INITIAL_PIN) as opened:  # the citizen's PIN letter works
        assert opened.certificate() is not None
    with pytest.raises(pkcs11.PinIncorrect), Card.open(token, pin="0000"):
        pass
    calls = ctx.scalars(sa.select(ApiCall)).all()
    assert [(c.verifier_id, c.subject, c.status) for c in calls] == [(OPERATOR_ID, AINO.eid, 201)]
    assert INITIAL_PIN not in caplog.text and OPERATOR_KEY not in caplog.text


def test_issue_with_another_algorithm(browser, parts):
    response = browser.post(
        "/api/cards",
        json={"holder": MIKKO.eid, "pin": "1234", "algorithm": "RSA-2048"},
        headers=OPERATOR,
    )
    assert response.status_code == 201 and response.json["key_algorithm"] == "RSA-2048"


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"holder": AINO.eid}, 400, "invalid_pin"),
        ({"holder": AINO.eid, "pin": "730"}, 400, "invalid_pin"),
        ({"holder": AINO.eid, "pin": "7305730573057"}, 400, "invalid_pin"),
        ({"holder": AINO.eid, "pin": "73a5"}, 400, "invalid_pin"),
        ({"holder": AINO.eid, "pin": 1234}, 400, "invalid_pin"),
        ({"holder": AINO.eid, "pin": "7305\n"}, 400, "invalid_pin"),
        ({"holder": "999999999A", "pin": "7305"}, 404, "unknown_holder"),
        ({"holder": "123456789C", "pin": "7305"}, 404, "unknown_holder"),
        ({"holder": "not an eid", "pin": "7305"}, 404, "unknown_holder"),
        ({"holder": ["x"], "pin": "7305"}, 400, "bad_request"),
        ({"pin": "7305"}, 400, "bad_request"),
        ({"holder": AINO.eid, "pin": "7305", "algorithm": "DSA-1024"}, 400, "bad_request"),
        ([AINO.eid, "7305"], 400, "bad_request"),
        ("not json", 400, "bad_request"),
    ],
)
def test_bad_issue_requests_store_nothing(browser, ctx, parts, caplog, body, status, error):
    caplog.set_level("INFO")
    kwargs = {"data": body} if isinstance(body, str) else {"json": body}
    response = browser.post("/api/cards", headers=OPERATOR, **kwargs)
    assert (response.status_code, response.json) == (status, {"error": error})
    assert stored(ctx, parts) == ([], [], [], [])
    # No PIN, valid or not, is logged; the random error ids (hex) are taken out first, as one
    # may hold the digits by chance.
    assert "730" not in re.sub(r"\b[0-9a-f]{8,}\b", "<id>", caplog.text)


def test_list_and_show_cards_with_status(browser):
    aino, mikko = issue_via_api(browser), issue_via_api(browser, MIKKO)
    listed = browser.get("/api/cards", headers=AUDITOR).json["cards"]
    assert {c["serial"] for c in listed} == {aino["serial"], mikko["serial"]}
    only = browser.get(f"/api/cards?holder={MIKKO.eid}", headers=AUDITOR).json["cards"]
    assert [c["serial"] for c in only] == [mikko["serial"]]
    shown = browser.get(f"/api/cards/{aino['serial']}", headers=AUDITOR)
    assert shown.json == aino
    assert "pin" not in str(shown.json).lower()


@pytest.mark.parametrize("serial", ["1000000000", "12345", "../cards", "abcdefghij"])
def test_unknown_or_malformed_serial_404(browser, serial):
    for response in (
        browser.get(f"/api/cards/{serial}", headers=OPERATOR),
        browser.post(f"/api/cards/{serial}/revoke", json={}, headers=OPERATOR),
        browser.post(
            f"/api/cards/{serial}/reset-authorisations",
            json={"identity_checked": True},
            headers=OPERATOR,
        ),
    ):
        assert response.status_code == 404, response.json


def test_revoke_lost_once(browser):
    card = issue_via_api(browser)
    path = f"/api/cards/{card['serial']}/revoke"
    first = browser.post(path, json={"reason": "lost"}, headers=OPERATOR)
    assert first.status_code == 200
    assert first.json["status"] == "lost" and first.json["changed"] is True
    assert first.json["revoked_at"] is not None
    again = browser.post(path, json={"reason": "revoked"}, headers=OPERATOR)
    assert again.json["status"] == "lost" and again.json["changed"] is False


@pytest.mark.parametrize("body", [{"reason": "stolen"}, {"reason": None}, ["lost"]])
def test_bad_revoke_leaves_the_card_active(browser, body):
    card = issue_via_api(browser)
    response = browser.post(f"/api/cards/{card['serial']}/revoke", json=body, headers=OPERATOR)
    assert response.status_code == 400
    assert browser.get(f"/api/cards/{card['serial']}", headers=OPERATOR).json["status"] == "active"


def test_reset_authorisation_returns_a_code_the_bridge_redeems_once(browser):
    card = issue_via_api(browser)
    response = browser.post(
        f"/api/cards/{card['serial']}/reset-authorisations",
        json={"identity_checked": True},
        headers=OPERATOR,
    )
    assert response.status_code == 201
    assert set(response.json) == {"card_serial", "code", "expires_in"}  # never a PIN
    assert response.json["expires_in"] == 24 * 3600
    code = response.json["code"]
    assert len(code) == 14 and code.count("-") == 2
    redeem = {"card_serial": card["serial"], "code": code}
    verify = browser.post("/api/reset-codes/verify", json=redeem, headers=bearer(READER_KEY))
    assert verify.status_code == 200 and verify.json["verified"] is True
    reused = browser.post("/api/reset-codes/verify", json=redeem, headers=bearer(READER_KEY))
    assert reused.status_code == 400


@pytest.mark.parametrize("body", [{}, {"identity_checked": "yes"}, {"identity_checked": False}])
def test_reset_needs_the_identity_check_confirmed(browser, ctx, parts, body):
    card = issue_via_api(browser)
    path = f"/api/cards/{card['serial']}/reset-authorisations"
    response = browser.post(path, json=body, headers=OPERATOR)
    assert response.status_code == 400 and response.json == {"error": "identity_not_checked"}
    assert stored(ctx, parts)[2] == []


def test_a_revoked_card_is_not_reset(browser, ctx, parts):
    card = issue_via_api(browser)
    browser.post(f"/api/cards/{card['serial']}/revoke", json={"reason": "lost"}, headers=OPERATOR)
    response = browser.post(
        f"/api/cards/{card['serial']}/reset-authorisations",
        json={"identity_checked": True},
        headers=OPERATOR,
    )
    assert response.status_code == 409 and response.json == {"error": "card_not_active"}
    assert stored(ctx, parts)[2] == []
