"""Checks of the broker's ID tokens and logout tokens, as a relying party must make them.

ID tokens: OIDC Core §3.1.3.7 (decrypt if encrypted, signature by the broker's JWKS with one
refetch on an unknown `kid`, `iss`, `aud`, `azp`, `exp`, `iat`, `nonce`, `at_hash`, `acr`,
`auth_time` against `max_age`); Authlib's ``CodeIDToken`` makes the claim checks. Logout tokens:
Back-Channel Logout 1.0 §2.6. Every failure raises ``TokenInvalid`` naming the check.
"""

from __future__ import annotations

import time
from typing import Protocol

from authlib.oidc.core import CodeIDToken
from joserfc import jwe
from joserfc import jws
from joserfc import jwt
from joserfc.errors import ExpiredTokenError
from joserfc.errors import InvalidClaimError
from joserfc.errors import JoseError
from joserfc.errors import MissingClaimError
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey

from .services import acceptable_acr

ENCRYPTION = ["RSA-OAEP", "A128CBC-HS256"]  # the only ID-token encryption the services register
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LEEWAY = 60  # seconds of clock skew allowed on exp, iat and auth_time


class TokenInvalid(Exception):
    """A token failed a check; ``reason`` names which, for the log and the tests."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class KeySource(Protocol):
    def key_set(self, refresh: bool = False) -> KeySet: ...


def decrypt(raw: str, enc_key: RSAKey | None, required: bool) -> str:
    """The signed token inside a JWE (RFC 7516 §7.1: five parts), or the token as it came."""
    if raw.count(".") != 4:
        if required:  # registered for encryption: a plain token is not what the broker sends
            raise TokenInvalid("not_encrypted")
        return raw
    if enc_key is None:
        raise TokenInvalid("unexpected_encryption")
    try:
        return jwe.decrypt_compact(raw, enc_key, algorithms=ENCRYPTION).plaintext.decode()
    except (JoseError, ValueError):
        raise TokenInvalid("not_decryptable") from None


def verify_signature(raw: str, keys: KeySource, alg: str) -> jwt.Token:
    """Signature by the key the header names; the JWKS is fetched again once for a new `kid`."""
    try:
        header = jws.extract_compact(raw.encode()).headers()
    except (JoseError, ValueError):
        raise TokenInvalid("not_a_signed_token") from None
    if header.get("alg") != alg:  # OIDC Core §3.1.3.7 item 7: the registered algorithm only
        raise TokenInvalid("wrong_algorithm")
    key_set = keys.key_set()
    if header.get("kid") not in {key.kid for key in key_set.keys}:
        key_set = keys.key_set(refresh=True)  # the broker rotated its keys (guide: "rotate")
    try:
        return jwt.decode(raw, key_set, algorithms=[alg])
    except (JoseError, ValueError):
        raise TokenInvalid("bad_signature") from None


def _reason(error: JoseError) -> str:
    if isinstance(error, ExpiredTokenError):
        return "expired"
    if isinstance(error, InvalidClaimError | MissingClaimError):
        return f"claim_{error.claim}"
    return error.error or "invalid"


def check_id_token(
    raw: str,
    keys: KeySource,
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str | None,
    alg: str,
    acr_floor: str,
    max_age: int | None = None,
) -> dict:
    """The claims of a valid ID token (already decrypted), or TokenInvalid."""
    token = verify_signature(raw, keys, alg)
    options = {
        "iss": {"essential": True, "value": issuer},
        "aud": {"essential": True, "value": client_id},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
        # §3.1.3.7 item 12: the level reached must be one the service accepts.
        "acr": {"essential": True, "values": acceptable_acr(acr_floor)},
    }
    params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
    if max_age is not None:
        params["max_age"] = max_age
    claims = CodeIDToken(token.claims, token.header, options, params)
    try:
        claims.validate(now=int(time.time()), leeway=LEEWAY)
    except JoseError as error:
        raise TokenInvalid(_reason(error)) from None
    # §3.1.3.7 item 13: with max_age, a login older than asked is not good enough.
    if max_age is not None and claims["auth_time"] + max_age + LEEWAY < time.time():
        raise TokenInvalid("claim_auth_time")
    return dict(claims)


def check_logout_token(
    raw: str, keys: KeySource, *, issuer: str, client_id: str, alg: str, enc_key: RSAKey | None
) -> dict:
    """Back-Channel Logout 1.0 §2.6; the caller then spends the `jti` once."""
    token = verify_signature(decrypt(raw, enc_key, required=False), keys, alg)
    # §2.4 recommends `typ: logout+jwt` (the broker sends it) but allows plain JWTs; another
    # declared type is another kind of token.
    if token.header.get("typ", "JWT") not in ("logout+jwt", "JWT"):
        raise TokenInvalid("wrong_type")
    claims = token.claims
    try:
        jwt.JWTClaimsRegistry(
            now=int(time.time()),
            leeway=LEEWAY,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
            iat={"essential": True},
            exp={"essential": True},
            jti={"essential": True},
        ).validate(claims)
    except JoseError as error:
        raise TokenInvalid(_reason(error)) from None
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(LOGOUT_EVENT), dict):
        raise TokenInvalid("claim_events")
    if "nonce" in claims:  # §2.4: forbidden, so an ID token can never pass as a logout token
        raise TokenInvalid("claim_nonce")
    sid, sub = claims.get("sid"), claims.get("sub")
    if not (isinstance(sid, str) and sid) and not (isinstance(sub, str) and sub):
        raise TokenInvalid("claim_sid_or_sub")
    for name, value in (("sid", sid), ("sub", sub)):
        if value is not None and not isinstance(value, str):
            raise TokenInvalid(f"claim_{name}")
    return dict(claims)
