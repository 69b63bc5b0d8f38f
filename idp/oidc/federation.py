"""The signed JWKS and the entity configuration (OpenID Federation 1.0 §3, §5.2.1, §9).

Finnish brokers publish their keys this way so that services can follow a rotation without
trusting a plain HTTPS download: a JWT of the JWKS (`signed_jwks_uri`), and a self-signed entity
statement at `/.well-known/openid-federation` whose `metadata.openid_provider` is the discovery
document.

Both are signed with the broker's current RS256 signing key, and the entity statement's `jwks`
(the Federation Entity Keys) is the published JWKS. A separate federation key would let the
protocol keys rotate under a fixed trust root, but this broker has no superior or trust anchor
above it: a verifier's trust in the statement starts from a key it obtained out of band either
way, and one rotation schedule (`silta keys rotate`, overlapping publication) is simpler to run.
Both documents are built from the per-process key cache, so they follow a rotation without a
restart; each expires after half the key promotion grace, so a verifier that keeps a document
until `exp` still learns every next key before that key signs.
"""

from __future__ import annotations

import time

from flask import current_app
from joserfc import jwt

from . import discovery
from . import keys

SIGNING_ALG = "RS256"  # the FTN profile's algorithm
JWKS_TYP = "jwk-set+jwt"  # §5.2.1.1
JWKS_MEDIA_TYPE = "application/jwk-set+jwt"
STATEMENT_TYP = "entity-statement+jwt"  # §3
STATEMENT_MEDIA_TYPE = "application/entity-statement+jwt"  # §9
MIN_LIFETIME = 60


def _sign(typ: str, claims: dict) -> str:
    key = keys.cache().signing_key(SIGNING_ALG)
    header = {"alg": SIGNING_ALG, "kid": key.kid, "typ": typ}
    return jwt.encode(header, claims, key, algorithms=[SIGNING_ALG])


def _times() -> dict:
    issued = int(time.time())
    lifetime = max(MIN_LIFETIME, current_app.config["KEY_PROMOTION_GRACE"] // 2)
    return {"iat": issued, "exp": issued + lifetime}


def signed_jwks() -> str:
    """The published JWKS as a JWT: `keys` with `iss`, `sub`, `iat`, `exp` (§5.2.1.1)."""
    issuer = current_app.config["ISSUER"]
    claims = {"iss": issuer, "sub": issuer, **_times(), "keys": keys.cache().jwks()["keys"]}
    return _sign(JWKS_TYP, claims)


def entity_configuration() -> str:
    """The broker's self-signed entity statement: `iss` = `sub` = the issuer (§3, §9)."""
    issuer = current_app.config["ISSUER"]
    claims = {
        "iss": issuer,
        "sub": issuer,
        **_times(),
        "jwks": keys.cache().jwks(),
        "metadata": {"openid_provider": discovery.metadata()},
    }
    return _sign(STATEMENT_TYP, claims)
