"""ID-token and logout-token checks (OIDC Core §3.1.3.7; Back-Channel Logout 1.0 §2.6)."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest
from joserfc import jwe
from joserfc.jwk import RSAKey

from relying_parties import logout
from relying_parties import tokens
from relying_parties.client import broker_client
from relying_parties.extensions import db
from relying_parties.models import BrowserSession
from tests.relying_parties.fake_broker import LOA2
from tests.relying_parties.fake_broker import LOA3
from tests.relying_parties.fake_broker import ec_key
from tests.relying_parties.fake_broker import rsa_key

CLIENT_ID = "demo-library"
NONCE = "n-0123456789abcdef"
ACCESS_TOKEN = "access-token-value"


def at_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check(fake_broker, raw: str, *, floor: str = LOA2, max_age: int | None = None) -> dict:
    return tokens.check_id_token(
        raw,
        broker_client().broker_keys,
        issuer=fake_broker.url,
        client_id=CLIENT_ID,
        nonce=NONCE,
        access_token=ACCESS_TOKEN,
        alg="RS256",
        acr_floor=floor,
        max_age=max_age,
    )


def test_a_valid_id_token_passes_every_check(rp_app, fake_broker):
    raw = fake_broker.sign(
        fake_broker.id_token_claims(CLIENT_ID, NONCE, at_hash=at_hash(ACCESS_TOKEN))
    )
    with rp_app.app_context():
        claims = check(fake_broker, raw)
    assert claims["sub"] == "pairwise-sub-1"
    assert claims["acr"] == LOA2


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "http://127.0.0.1:1"}, "claim_iss"),
        ({"aud": "another-service"}, "claim_aud"),
        ({"nonce": "another-nonce"}, "claim_nonce"),
        ({"nonce": None}, "claim_nonce"),
        ({"exp": int(time.time()) - 120}, "expired"),
        ({"iat": lambda: int(time.time()) + 600}, "claim_iat"),  # at run time, not collection
        ({"acr": None}, "claim_acr"),
        ({"acr": "urn:unknown:level"}, "claim_acr"),
        ({"azp": "another-service"}, "claim_azp"),
        ({"at_hash": at_hash("another-access-token")}, "claim_at_hash"),
    ],
)
def test_an_id_token_failing_a_claim_check_is_refused(rp_app, fake_broker, overrides, reason):
    overrides = {k: v() if callable(v) else v for k, v in overrides.items()}
    raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE, **overrides))
    with rp_app.app_context(), pytest.raises(tokens.TokenInvalid) as refused:
        check(fake_broker, raw)
    assert refused.value.reason == reason


def test_an_acr_below_the_floor_asked_is_refused(rp_app, fake_broker):
    raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE, acr=LOA2))
    with rp_app.app_context():
        with pytest.raises(tokens.TokenInvalid) as refused:
            check(fake_broker, raw, floor=LOA3)
        assert refused.value.reason == "claim_acr"
        stronger = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE, acr=LOA3))
        assert check(fake_broker, stronger, floor=LOA2)["acr"] == LOA3  # higher is fine


def test_a_login_older_than_max_age_is_refused(rp_app, fake_broker):
    old = int(time.time()) - 3600
    raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE, auth_time=old))
    with rp_app.app_context(), pytest.raises(tokens.TokenInvalid) as refused:
        check(fake_broker, raw, max_age=300)
    assert refused.value.reason == "claim_auth_time"


def test_only_the_registered_algorithm_is_accepted(rp_app, fake_broker):
    key = ec_key()
    fake_broker.published.append(key)
    raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE), key=key, alg="ES256")
    with rp_app.app_context(), pytest.raises(tokens.TokenInvalid) as refused:
        check(fake_broker, raw)
    assert refused.value.reason == "wrong_algorithm"


def test_an_unknown_kid_fetches_the_jwks_again_once_and_then_verifies(rp_app, fake_broker):
    with rp_app.app_context():
        keys = broker_client().broker_keys
        keys.key_set()  # cached before the broker rotates
        rotated = rsa_key()
        fake_broker.published.append(rotated)
        fetches = fake_broker.jwks_fetches
        raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE), key=rotated)
        assert check(fake_broker, raw)["sub"] == "pairwise-sub-1"
        assert fake_broker.jwks_fetches == fetches + 1
        # A second unknown key at once does not make the service hammer the broker.
        stranger = rsa_key()
        forged = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE), key=stranger)
        with pytest.raises(tokens.TokenInvalid) as refused:
            check(fake_broker, forged)
        assert refused.value.reason == "bad_signature"
        assert fake_broker.jwks_fetches == fetches + 1


def test_a_token_signed_by_a_key_the_broker_never_published_is_refused(rp_app, fake_broker):
    raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE), key=rsa_key())
    with rp_app.app_context(), pytest.raises(tokens.TokenInvalid) as refused:
        check(fake_broker, raw)
    assert refused.value.reason == "bad_signature"


def encrypt_to(key: RSAKey, inner: str) -> str:
    header = {"alg": "RSA-OAEP", "enc": "A128CBC-HS256", "cty": "JWT", "kid": key.kid}
    return jwe.encrypt_compact(header, inner, key)


def test_encrypted_id_tokens_are_decrypted_with_the_service_key_and_only_that():
    mine, theirs = rsa_key(), rsa_key()
    inner = "header.payload.signature"
    assert tokens.decrypt(encrypt_to(mine, inner), mine, required=True) == inner
    with pytest.raises(tokens.TokenInvalid) as wrong_key:
        tokens.decrypt(encrypt_to(theirs, inner), mine, required=True)
    assert wrong_key.value.reason == "not_decryptable"
    with pytest.raises(tokens.TokenInvalid) as plain:
        tokens.decrypt(inner, mine, required=True)  # registered for encryption: no plain token
    assert plain.value.reason == "not_encrypted"


def check_logout(fake_broker, raw: str) -> dict:
    return tokens.check_logout_token(
        raw,
        broker_client().broker_keys,
        issuer=fake_broker.url,
        client_id=CLIENT_ID,
        alg="RS256",
        enc_key=None,
    )


@pytest.mark.parametrize(
    ("overrides", "header", "reason"),
    [
        ({"iss": "http://127.0.0.1:1"}, {}, "claim_iss"),
        ({"aud": "another-service"}, {}, "claim_aud"),
        ({"iat": None}, {}, "claim_iat"),
        ({"exp": int(time.time()) - 300}, {}, "expired"),
        ({"jti": None}, {}, "claim_jti"),
        ({"events": None}, {}, "claim_events"),
        ({"events": {"http://example.com/other": {}}}, {}, "claim_events"),
        ({"nonce": "a-nonce"}, {}, "claim_nonce"),
        ({"sid": None, "sub": None}, {}, "claim_sid_or_sub"),
        ({}, {"typ": "at+jwt"}, "wrong_type"),
    ],
)
def test_a_logout_token_failing_a_check_is_refused(rp_app, fake_broker, overrides, header, reason):
    header = {"typ": "logout+jwt", **header}
    raw = fake_broker.sign(fake_broker.logout_claims(CLIENT_ID, **overrides), **header)
    with rp_app.app_context(), pytest.raises(tokens.TokenInvalid) as refused:
        check_logout(fake_broker, raw)
    assert refused.value.reason == reason


def test_an_id_token_never_passes_as_a_logout_token(rp_app, fake_broker):
    raw = fake_broker.sign(fake_broker.id_token_claims(CLIENT_ID, NONCE, jti="j-1"))
    with rp_app.app_context(), pytest.raises(tokens.TokenInvalid) as refused:
        check_logout(fake_broker, raw)
    assert refused.value.reason == "claim_events"


def add_session(key_hash: str, sid: str | None, sub: str | None) -> None:
    data = {"login": {"sid": sid, "sub": sub}}
    db.session.add(
        BrowserSession(
            key_hash=key_hash, data=data, sid=sid, sub=sub, expires_at=int(time.time()) + 600
        )
    )
    db.session.commit()


def remaining() -> set[str]:
    """The sessions that still hold a login."""
    rows = db.session.execute(db.select(BrowserSession)).scalars()
    return {row.key_hash for row in rows if "login" in row.data and row.sid}


def test_a_logout_token_ends_the_sessions_of_its_sid_once(rp_app, fake_broker):
    raw = fake_broker.sign(fake_broker.logout_claims(CLIENT_ID, sid="sid-1", sub="sub-a"))
    with rp_app.test_request_context():
        add_session("a" * 64, "sid-1", "sub-a")
        add_session("b" * 64, "sid-2", "sub-a")  # the same person's other broker session
        add_session("c" * 64, "sid-3", "sub-b")
        assert logout.receive(raw) == 1
        assert remaining() == {"b" * 64, "c" * 64}
        with pytest.raises(logout.LogoutRejected) as replay:
            logout.receive(raw)  # §2.6: the same jti again
        assert replay.value.reason == "jti_replayed"


def test_a_logout_token_with_only_sub_ends_every_session_of_that_sub(rp_app, fake_broker):
    raw = fake_broker.sign(fake_broker.logout_claims(CLIENT_ID, sid=None, sub="sub-a"))
    with rp_app.test_request_context():
        add_session("a" * 64, "sid-1", "sub-a")
        add_session("b" * 64, "sid-2", "sub-a")
        add_session("c" * 64, "sid-3", "sub-b")
        assert logout.receive(raw) == 2
        assert remaining() == {"c" * 64}
