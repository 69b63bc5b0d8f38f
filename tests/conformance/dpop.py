"""DPoP proofs (RFC 9449 §4.2) as a FAPI 2.0 client makes them, for the DPoP modules."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

from joserfc import jwt
from joserfc.jwk import ECKey

from .support import ISSUER

TOKEN_URL = ISSUER + "/token"
PAR_URL = ISSUER + "/par"
USERINFO_URL = ISSUER + "/userinfo"
KEY = ECKey.generate_key("P-256", private=True)
OTHER = ECKey.generate_key("P-256", private=True)


def proof(key=KEY, htm: str = "POST", htu: str = TOKEN_URL, header: dict | None = None, **claims):
    """A proof signed ES256 with ``key``; keywords override claims, None drops one."""
    body = {"jti": secrets.token_urlsafe(16), "htm": htm, "htu": htu, "iat": int(time.time())}
    body.update(claims)
    head = {"typ": "dpop+jwt", "alg": "ES256", "jwk": key.as_dict(private=False)}
    head.update(header or {})
    return jwt.encode(
        {k: v for k, v in head.items() if v is not None},
        {k: v for k, v in body.items() if v is not None},
        key,
        algorithms=[head["alg"]],
    )


def ath(access_token: str) -> str:
    """§4.2: base64url SHA-256 of the access token."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def userinfo(browser, access_token: str, key=KEY, **claims):
    """GET /userinfo with `Authorization: DPoP` and a proof over this request (§7.1)."""
    made = proof(key, htm="GET", htu=USERINFO_URL, ath=ath(access_token), **claims)
    headers = {"Authorization": f"DPoP {access_token}", "DPoP": made}
    return browser.get("/userinfo", headers=headers)


def at(url: str = TOKEN_URL, key=KEY, **claims) -> dict:
    """The `DPoP` header for a POST to ``url``."""
    return {"DPoP": proof(key, htu=url, **claims)}
