"""The broker as a bank's client: request objects, assertions, and ID-token checks.

One case per way a bank's answer can be wrong; each must be refused with its own reason.
"""

from __future__ import annotations

import json
import time

import pytest
from joserfc import jwe
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey

from idp.authenticators.bank import keys as federation
from idp.authenticators.bank.upstream import TokenRejected
from idp.authenticators.bank.upstream import Upstream

ISSUER = "http://bank.test"
CLIENT = "silta"
NONCE = "n" * 43


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    return federation.generate(tmp_path_factory.mktemp("fed") / "keys.json")


@pytest.fixture(scope="module")
def bank_key():
    return RSAKey.generate_key(2048, parameters={"use": "sig"}, private=True)


@pytest.fixture
def upstream(bank_key):
    bank = Upstream(ISSUER, CLIENT, timeout=1, health_interval=5)
    bank._metadata = (
        time.monotonic(),
        {"issuer": ISSUER, "jwks_uri": ISSUER + "/jwks.json", "token_endpoint": ISSUER + "/token"},
    )
    bank._jwks = KeySet(
        [RSAKey.import_key(bank_key.as_dict(private=False) | {"kid": bank_key.thumbprint()})]
    )
    return bank


def id_token(keys, signer, kid, *, enc="A128CBC-HS256", recipient=None, **changes) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": CLIENT,
        "sub": "customer-1",
        "nonce": NONCE,
        "iat": now,
        "exp": now + 600,
        "auth_time": now,
        "acr": "http://ftn.ficora.fi/2017/loa2",
        "urn:oid:1.2.246.21": "010170-999R",
    }
    claims.update(changes)
    signed = jwt.encode({"alg": "RS256", "kid": kid}, claims, signer)
    return jwe.encrypt_compact(
        {"alg": "RSA-OAEP", "enc": enc, "cty": "JWT"},
        signed,
        recipient or keys.enc,
        algorithms=["RSA-OAEP", enc],
    )


def test_valid_token_is_accepted(upstream, keys, bank_key):
    claims = upstream.verify_id_token(keys, id_token(keys, bank_key, bank_key.thumbprint()), NONCE)
    assert claims["sub"] == "customer-1"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"nonce": "other"}, "wrong_nonce"),
        ({"aud": "someone-else"}, "wrong_aud"),
        ({"iss": "http://evil.test"}, "wrong_iss"),
        ({"exp": int(time.time()) - 120}, "expired"),
    ],
    ids=["wrong-nonce", "wrong-audience", "wrong-issuer", "expired"],
)
def test_claims_failures(upstream, keys, bank_key, changes, reason):
    token = id_token(keys, bank_key, bank_key.thumbprint(), **changes)
    with pytest.raises(TokenRejected) as rejected:
        upstream.verify_id_token(keys, token, NONCE)
    assert rejected.value.reason == reason


def test_signature_by_another_key_with_the_same_kid(upstream, keys, bank_key, monkeypatch):
    impostor = RSAKey.generate_key(2048, private=True)
    monkeypatch.setattr(upstream, "jwks", lambda refresh=False: upstream._jwks)
    with pytest.raises(TokenRejected, match="bad_signature"):
        upstream.verify_id_token(keys, id_token(keys, impostor, bank_key.thumbprint()), NONCE)


def test_unknown_kid_fetches_the_jwks_once_more(upstream, keys, monkeypatch):
    rotated = RSAKey.generate_key(2048, private=True)
    fetched = []

    def get_json(url, timeout=None):
        fetched.append(url)
        return {"keys": [rotated.as_dict(private=False) | {"kid": "next"}]}

    monkeypatch.setattr(upstream, "_get_json", get_json)
    claims = upstream.verify_id_token(keys, id_token(keys, rotated, "next"), NONCE)
    assert claims["sub"] == "customer-1"
    assert fetched == [ISSUER + "/jwks.json"]


@pytest.mark.parametrize(
    "make",
    [
        lambda keys, key: jwt.encode({"alg": "RS256"}, {"sub": "x"}, key),  # signed, not encrypted
        lambda keys, key: id_token(
            keys, key, key.thumbprint(), recipient=RSAKey.generate_key(2048, private=True)
        ),
        lambda keys, key: id_token(keys, key, key.thumbprint(), enc="A256GCM"),
        lambda keys, key: "garbage",
    ],
    ids=["plain-jws", "encrypted-to-another-key", "other-content-encryption", "garbage"],
)
def test_tokens_not_encrypted_as_the_profile_requires(upstream, keys, bank_key, make):
    with pytest.raises(TokenRejected, match="not_decryptable"):
        upstream.verify_id_token(keys, make(keys, bank_key), NONCE)


def test_request_object_carries_every_parameter_signed_by_the_broker(upstream, keys):
    token = upstream.request_object(keys, {"state": "s", "nonce": NONCE, "ftn_spname": "Tax"})
    decoded = jwt.decode(token, keys.sig, algorithms=["RS256"])
    assert decoded.header["kid"] == keys.sig.kid
    assert decoded.claims["iss"] == CLIENT
    assert decoded.claims["aud"] == ISSUER
    assert {"state", "nonce", "ftn_spname", "jti", "exp", "iat"} <= set(decoded.claims)


def test_client_assertion_is_single_use_and_audience_bound(upstream, keys):
    first = jwt.decode(upstream.client_assertion(keys, ISSUER + "/token"), keys.sig).claims
    second = jwt.decode(upstream.client_assertion(keys, ISSUER + "/token"), keys.sig).claims
    assert first["iss"] == first["sub"] == CLIENT
    assert first["aud"] == ISSUER + "/token"
    assert first["jti"] != second["jti"]
    assert first["exp"] - first["iat"] <= 60


def test_federation_keys_are_private_to_the_owner_and_public_half_has_no_secrets(tmp_path):
    path = tmp_path / "keys.json"
    keys = federation.generate(path)
    assert path.stat().st_mode & 0o077 == 0
    public = keys.public_jwks()["keys"]
    assert {k["use"] for k in public} == {"sig", "enc"}
    assert not any("d" in k for k in public)


def test_unusable_federation_key_files_are_refused_with_the_command_to_run(tmp_path):
    with pytest.raises(federation.FederationKeyError, match="silta keys federation"):
        federation.load(tmp_path / "missing.json")
    only_sig = RSAKey.generate_key(2048, parameters={"use": "sig"}, private=True)
    (tmp_path / "one.json").write_text(json.dumps({"keys": [only_sig.as_dict(private=True)]}))
    with pytest.raises(federation.FederationKeyError, match="'sig'"):
        federation.load(tmp_path / "one.json")


def test_several_audiences_need_the_broker_as_authorized_party(upstream, keys, bank_key):
    token = id_token(keys, bank_key, bank_key.thumbprint(), aud=[CLIENT, "someone-else"])
    with pytest.raises(TokenRejected, match="wrong_azp"):
        upstream.verify_id_token(keys, token, NONCE)
    token = id_token(keys, bank_key, bank_key.thumbprint(), aud=[CLIENT, "x"], azp=CLIENT)
    assert upstream.verify_id_token(keys, token, NONCE)["azp"] == CLIENT


def test_unknown_kids_force_at_most_one_jwks_fetch_in_a_while(upstream, keys, monkeypatch):
    fetched = []
    other = RSAKey.generate_key(2048, private=True).as_dict(private=False) | {"kid": "other"}
    monkeypatch.setattr(
        upstream, "_get_json", lambda url, timeout=None: fetched.append(url) or {"keys": [other]}
    )
    stranger = RSAKey.generate_key(2048, private=True)
    for _ in range(3):
        with pytest.raises(TokenRejected):
            upstream.verify_id_token(keys, id_token(keys, stranger, "unknown"), NONCE)
    assert len(fetched) == 1
