"""The broker's ID-card verifier, one refusal at a time (Web eID token validation steps).

Each test drives the broker's real card page and form with a certificate built for the case and
an in-test card authority (OCSP responder and holder look-up over real HTTP). Every refusal
asserts what the citizen reads, that nothing was stored (no session, person, external identity
or code), and whether the challenge was spent: Web eID spends it as soon as a token arrives.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID

from idp import create_app
from idp.extensions import db
from idp.storage.models import CardChallenge
from idp.storage.models import ExternalIdentity
from idp.storage.models import Person
from idp.storage.models import now
from tests.conftest import empty_tables
from tests.conftest import register
from tests.support.flow import LOA3
from tests.support.flow import Flow
from tests.support.flow import csrf_token
from tests.support.flow import id_token_claims

from .ic_card_support import NOTHING
from .ic_card_support import ORIGIN
from .ic_card_support import CardLogin
from .ic_card_support import authority_fixture  # noqa: F401 (fixture `authority`)
from .ic_card_support import card_app_fixture  # noqa: F401 (fixture `card_app`)
from .ic_card_support import card_config
from .ic_card_support import card_fixture  # noqa: F401 (fixture `card`)
from .ic_card_support import new_ca
from .ic_card_support import rsa_key
from .ic_card_support import sign_token


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger="silta.audit")

    def recorded(event: str) -> list[dict]:
        return [
            {k: v for k, v in vars(r).items() if k not in logging.makeLogRecord({}).__dict__}
            for r in caplog.records
            if r.name == "silta.audit" and r.getMessage() == event
        ]

    return recorded


def refused(card: CardLogin, response, code: str, *, spent: bool | None, challenge: str) -> str:
    """The refusal the citizen sees, with nothing stored; returns the page."""
    html = response.get_data(as_text=True)
    assert response.status_code == 400, html[:500]
    assert f"<code>{code}</code>" in html
    assert f"{card.flow.interaction}" in html  # always a way back to the method choice
    assert card.stored() == NOTHING
    if spent is not None:
        assert card.challenge_used(challenge) is spent
    return html


def finish(card: CardLogin) -> dict:
    """From the method's answer to the service's ID token claims."""
    callback = card.flow.sign_in()
    tokens = card.flow.tokens(callback)
    return id_token_claims(card.flow.browser, tokens["id_token"])


# -- success --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("algorithm", "key"),
    [
        ("ES256", lambda: ec.generate_private_key(ec.SECP256R1())),
        ("ES384", lambda: ec.generate_private_key(ec.SECP384R1())),
        ("RS256", rsa_key),
        ("PS256", rsa_key),
    ],
)
def test_a_valid_card_logs_the_citizen_in_at_level_high(card, audit, algorithm, key):
    challenge = card.start(scope="openid profile national_id", acr_values=LOA3)
    holder = card.authority.pki.card(key=key())
    response = card.present(sign_token(holder, ORIGIN, challenge, algorithm), challenge)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    claims = finish(card)
    assert claims["acr"] == LOA3
    assert claims["amr"] == ["sc", "pin", "hwk"]
    assert claims["urn:oid:1.2.246.21"] == "010170-999R"
    assert (claims["given_name"], claims["birthdate"]) == ("Aino", "1970-01-01")
    with card.app.app_context():
        identity = db.session.execute(db.select(ExternalIdentity)).scalar_one()
        assert (identity.method, identity.issuer, identity.subject) == (
            "id-card",
            card.authority.url,
            "100000001V",
        )
    assert card.challenge_used(challenge)
    [verified] = audit("card.verified")
    assert verified["certificate_serial"] == format(holder.certificate.serial_number, "x")
    assert verified["revocation"] == "good"
    assert "010170-999R" not in repr(verified)


def test_a_certificate_a_little_in_the_future_is_within_the_clock_skew(card):
    challenge = card.start()
    holder = card.authority.pki.card(start=datetime.now(UTC) + timedelta(seconds=30))
    assert card.present(sign_token(holder, ORIGIN, challenge), challenge).status_code == 303


# -- the certificate ------------------------------------------------------------------------------
def _past(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


CERTIFICATES = {
    "expired": (dict(start=_past(400), days=365), "card_expired"),
    "not-yet-valid": (
        dict(start=datetime.now(UTC) + timedelta(days=1)),
        "card_not_yet_valid",
    ),
    "wrong-ca": (dict(issuer="other"), "card_untrusted"),
    "no-digital-signature": (dict(signature=False), "card_key_usage"),
    "not-for-client-auth": (
        dict(eku=ExtendedKeyUsageOID.EMAIL_PROTECTION),
        "card_extended_key_usage",
    ),
}


@pytest.mark.parametrize(("changes", "code"), CERTIFICATES.values(), ids=CERTIFICATES.keys())
def test_a_certificate_that_fails_a_check_is_refused(card, audit, changes, code):
    if changes.get("issuer") == "other":  # same name as the trusted CA, another key
        changes = {**changes, "issuer": new_ca("Test Card Issuing CA", card.authority.pki.root)}
    challenge = card.start()
    holder = card.authority.pki.card(**changes)
    response = card.present(sign_token(holder, ORIGIN, challenge), challenge)
    refused(card, response, code, spent=True, challenge=challenge)
    [event] = audit("card.refused")
    assert event["reason"] == code.removeprefix("card_")
    assert card.authority.ocsp_calls == 0 and card.authority.lookups == 0


def test_an_expired_card_is_told_to_apply_for_a_new_one(card):
    challenge = card.start()
    holder = card.authority.pki.card(start=_past(400), days=365)
    html = refused(
        card,
        card.present(sign_token(holder, ORIGIN, challenge), challenge),
        "card_expired",
        spent=True,
        challenge=challenge,
    )
    assert "Apply for a new card" in html and "bank" in html


# -- revocation (OCSP) ----------------------------------------------------------------------------
def test_a_revoked_card_is_refused_with_what_to_do(card, audit):
    challenge = card.start()
    holder = card.authority.pki.card()
    card.authority.revoked.add(holder.certificate.serial_number)
    response = card.present(sign_token(holder, ORIGIN, challenge), challenge)
    html = refused(card, response, "card_revoked", spent=True, challenge=challenge)
    assert "revoked" in html and "Apply for a new card" in html
    assert "Try again with the ID card" not in html
    [event] = audit("card.refused")
    assert event["certificate_serial"] == format(holder.certificate.serial_number, "x")
    assert [e["code"] for e in audit("login.failed")] == ["card_revoked"]


OCSP = {
    "down": ("down", "card_ocsp_unavailable"),
    "too-slow": ("slow", "card_ocsp_unavailable"),
    "not-ocsp": ("garbage", "card_ocsp_unavailable"),
    "try-later": ("try_later", "card_ocsp_unavailable"),
    "stale": ("stale", "card_ocsp_stale"),
    "responder-of-another-ca": ("wrong_responder", "card_ocsp_wrong_responder"),
    "responder-not-for-ocsp": ("not_for_ocsp", "card_ocsp_wrong_responder"),
    "signature-does-not-verify": ("bad_signature", "card_ocsp_bad_signature"),
    "no-nonce": ("no_nonce", "card_ocsp_nonce"),
    "wrong-nonce": ("wrong_nonce", "card_ocsp_nonce"),
    "another-certificate": ("other_certificate", "card_ocsp_wrong_certificate"),
    "status-unknown": ("unknown", "card_status_unknown"),
}


@pytest.mark.parametrize(("mode", "code"), OCSP.values(), ids=OCSP.keys())
def test_an_ocsp_answer_that_cannot_be_believed_is_refused(card, mode, code):
    card.authority.ocsp_mode = mode
    challenge = card.start()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), challenge)
    refused(card, response, code, spent=True, challenge=challenge)
    assert card.authority.lookups == 0


def test_an_unreachable_responder_is_explained_as_try_later(card):
    challenge = card.start()
    holder = card.authority.pki.card(ocsp_url="http://127.0.0.1:9/ocsp")  # nothing listens
    html = refused(
        card,
        card.present(sign_token(holder, ORIGIN, challenge), challenge),
        "card_ocsp_unavailable",
        spent=True,
        challenge=challenge,
    )
    assert "try again in a few minutes" in html and "Try again with the ID card" in html


@pytest.fixture
def fail_open(database, authority, tmp_path):
    app = create_app(card_config(database, authority, tmp_path, CARD_OCSP_FAIL_OPEN=True))
    empty_tables(app)
    authority.reset()
    yield CardLogin(app, authority, Flow(app.test_client(), register(app)))
    with app.app_context():
        db.engine.dispose()


def test_fail_open_accepts_a_card_when_the_responder_is_down_and_says_so(fail_open, audit):
    fail_open.authority.ocsp_mode = "down"
    challenge = fail_open.start()
    holder = fail_open.authority.pki.card()
    response = fail_open.present(sign_token(holder, ORIGIN, challenge), challenge)
    assert response.status_code == 303
    assert audit("card.verified")[0]["revocation"] == "not_checked"


def test_fail_open_still_refuses_a_stale_answer(fail_open):
    fail_open.authority.ocsp_mode = "stale"
    challenge = fail_open.start()
    response = fail_open.present(
        sign_token(fail_open.authority.pki.card(), ORIGIN, challenge), challenge
    )
    refused(fail_open, response, "card_ocsp_stale", spent=True, challenge=challenge)


# -- the signature --------------------------------------------------------------------------------
def test_a_signature_by_another_key_is_refused(card):
    challenge = card.start()
    holder = card.authority.pki.card()
    forger = type(holder)(holder.certificate, ec.generate_private_key(ec.SECP256R1()))
    response = card.present(sign_token(forger, ORIGIN, challenge), challenge)
    refused(card, response, "card_bad_signature", spent=True, challenge=challenge)
    assert card.authority.ocsp_calls == 0


def test_a_token_signed_for_another_origin_is_refused(card):
    challenge = card.start()
    token = sign_token(card.authority.pki.card(), "https://phishing.example", challenge)
    response = card.present(token, challenge)
    refused(card, response, "card_bad_signature", spent=True, challenge=challenge)


def test_a_token_signed_over_another_challenge_is_refused(card):
    challenge = card.start()
    other = card.reload()  # the page loaded again: a second challenge of the same login
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, other), challenge)
    refused(card, response, "card_bad_signature", spent=True, challenge=challenge)
    assert not card.challenge_used(other)


@pytest.mark.parametrize(
    ("algorithm", "key", "code"),
    [
        ("ES512", None, "card_unsupported_algorithm"),
        ("HS256", None, "card_unsupported_algorithm"),
        ("none", None, "card_unsupported_algorithm"),
        ("RS256", None, "card_algorithm_mismatch"),  # an EC card claiming an RSA algorithm
        ("ES384", None, "card_algorithm_mismatch"),  # ES384 means P-384, the card is P-256
        ("ES256", rsa_key, "card_algorithm_mismatch"),
    ],
)
def test_an_algorithm_outside_the_allow_list_or_the_key_is_refused(card, algorithm, key, code):
    challenge = card.start()
    holder = card.authority.pki.card(key=key() if key else None)
    token = sign_token(holder, ORIGIN, challenge, "RS256" if key else "ES256")
    token["algorithm"] = algorithm
    response = card.present(token, challenge)
    refused(card, response, code, spent=True, challenge=challenge)


# -- the challenge --------------------------------------------------------------------------------
def test_a_challenge_works_once(card):
    challenge = card.start()
    holder = card.authority.pki.card()
    card.present(sign_token(holder, ORIGIN, challenge, signature="AAAA"), challenge)
    response = card.present(sign_token(holder, ORIGIN, challenge), challenge)
    refused(card, response, "card_challenge_used", spent=True, challenge=challenge)


def test_a_replayed_token_after_a_login_adds_nothing(card):
    challenge = card.start()
    token = sign_token(card.authority.pki.card(), ORIGIN, challenge)
    assert card.present(token, challenge).status_code == 303
    before = card.stored()
    response = card.present(token, challenge)
    assert response.status_code == 400 and "card_challenge_used" in response.get_data(True)
    assert card.stored() == before


def test_an_expired_challenge_is_refused_and_left_unspent(card):
    challenge = card.start()
    with card.app.app_context():
        db.session.get(CardChallenge, challenge).expires_at = now() - 1
        db.session.commit()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), challenge)
    refused(card, response, "card_challenge_expired", spent=False, challenge=challenge)


def test_a_challenge_of_another_interaction_is_refused_and_left_unspent(card):
    first = card.start()
    first_interaction = card.flow.interaction
    card.start()
    token = sign_token(card.authority.pki.card(), ORIGIN, first)
    response = card.present(token, first)  # to the second interaction
    refused(card, response, "card_challenge_unknown", spent=False, challenge=first)
    assert first_interaction != card.flow.interaction


@pytest.mark.parametrize("value", ["", "A" * 43 + "=", "not base64", "A" * 44])
def test_a_challenge_the_broker_never_issued_is_refused(card, value):
    challenge = card.start()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), value)
    refused(card, response, "card_challenge_unknown", spent=False, challenge=challenge)


# -- the token's shape ----------------------------------------------------------------------------
MALFORMED = {
    "not-json": lambda t: "{not json",
    "a-list": lambda t: "[1, 2]",
    "empty": lambda t: "",
    "missing-field": lambda t: {k: v for k, v in t.items() if k != "appVersion"},
    "extra-field": lambda t: {**t, "unverifiedSigningCertificate": "AAAA"},
    "other-format": lambda t: {**t, "format": "web-eid:1.1"},
    "certificate-not-base64": lambda t: {**t, "unverifiedCertificate": "not*base64!"},
    "certificate-unpadded": lambda t: {**t, "unverifiedCertificate": "QUJD" + "QQ"},
    "certificate-with-a-line-break": lambda t: {
        **t,
        "unverifiedCertificate": t["unverifiedCertificate"][:64]
        + "\n"
        + t["unverifiedCertificate"][64:],
    },
    "signature-url-safe": lambda t: {**t, "signature": "-_-_" + t["signature"][4:]},
    "signature-a-number": lambda t: {**t, "signature": 12},
    "app-version-too-long": lambda t: {**t, "appVersion": "https://x/" + "v" * 300},
    "too-long": lambda t: {**t, "unverifiedCertificate": "QUJD" * 3000},
    "duplicate-field": lambda t: '{"format": "web-eid:1.0", ' + json.dumps(t)[1:],
}


@pytest.mark.parametrize("mangle", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_token_is_refused(card, mangle):
    challenge = card.start()
    token = sign_token(card.authority.pki.card(), ORIGIN, challenge)
    response = card.present(mangle(token), challenge)
    refused(card, response, "card_malformed", spent=True, challenge=challenge)


def test_a_certificate_that_is_not_der_is_refused(card):
    challenge = card.start()
    token = sign_token(card.authority.pki.card(), ORIGIN, challenge)
    token["unverifiedCertificate"] = "MIIBAAAA"  # valid base64, not a certificate
    refused(
        card,
        card.present(token, challenge),
        "card_certificate_malformed",
        spent=True,
        challenge=challenge,
    )


# -- the holder look-up ---------------------------------------------------------------------------
def test_a_holder_the_authority_does_not_know_is_refused(card):
    card.authority.holders = {}
    challenge = card.start()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), challenge)
    html = refused(card, response, "card_holder_unknown", spent=True, challenge=challenge)
    assert "does not recognise" in html


def test_a_holder_record_with_an_invalid_identity_code_is_refused(card):
    card.authority.holders["100000001V"]["national_identity_number"] = "010170-999S"
    challenge = card.start()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), challenge)
    refused(card, response, "card_holder_invalid", spent=True, challenge=challenge)


def test_a_refused_look_up_is_the_authority_being_unavailable(card, monkeypatch):
    method = card.app.extensions["silta.methods"].get("id-card")
    monkeypatch.setattr(method.authority, "_auth", ("silta-broker", "wrong-secret-" + "w" * 32))
    challenge = card.start()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), challenge)
    refused(card, response, "card_authority_unavailable", spent=True, challenge=challenge)


# -- what the reader reports, and leaving -------------------------------------------------------
def test_a_locked_card_gets_the_way_to_unblock_it(card, audit):
    challenge = card.start()
    response = card.flow.browser.post(
        f"{card.flow.interaction}/method/id-card/continue",
        data={"csrf_token": _csrf(card), "challenge": challenge, "reader_error": "card_locked"},
    )
    html = refused(card, response, "card_locked", spent=False, challenge=challenge)
    assert "service desk" in html and "reset code" in html
    assert 'href="http://127.0.0.1:8421/pin/unblock?lang=en"' in html
    assert [e["code"] for e in audit("login.failed")] == ["card_locked"]


def test_an_unknown_reader_error_is_a_plain_try_again(card):
    challenge = card.start()
    response = card.flow.browser.post(
        f"{card.flow.interaction}/method/id-card/continue",
        data={"csrf_token": _csrf(card), "challenge": challenge, "reader_error": "<script>"},
    )
    html = refused(card, response, "card_reader_error", spent=False, challenge=challenge)
    assert "<script>" not in html


def test_cancel_returns_to_the_method_choice(card):
    card.start()
    response = card.flow.browser.post(
        f"{card.flow.interaction}/method/id-card/continue",
        data={"csrf_token": _csrf(card), "action": "cancel"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("?notice=cancelled")
    assert card.stored() == NOTHING


def test_the_form_needs_its_csrf_token(card):
    challenge = card.start()
    token = sign_token(card.authority.pki.card(), ORIGIN, challenge)
    response = card.flow.browser.post(
        f"{card.flow.interaction}/method/id-card/continue",
        data={"challenge": challenge, "token": json.dumps(token)},
    )
    assert response.status_code == 400
    assert card.stored() == NOTHING and not card.challenge_used(challenge)


def _csrf(card: CardLogin) -> str:
    return csrf_token(card.last.get_data(as_text=True))


def test_the_same_citizen_by_card_and_by_another_method_is_one_person(card):
    card.flow.authorize()
    card.flow.login()  # the development method, with Aino's HETU
    card.flow.browser = card.app.test_client()  # another browser: no single sign-on
    challenge = card.start()
    response = card.present(sign_token(card.authority.pki.card(), ORIGIN, challenge), challenge)
    assert response.status_code == 303
    with card.app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Person)).scalar() == 1
