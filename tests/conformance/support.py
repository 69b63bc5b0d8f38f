"""What a strict relying party checks, and what "nothing was stored or issued" means.

Each conformance module drives the broker through the Flask test client and judges every answer
the way the OpenID Foundation's suite does: ID tokens against the published JWKS (OIDC Core
§3.1.3.7), authorization responses for `state` and `iss` (RFC 9207 §2), errors by their exact
code and by where they arrive (the client's redirect URI, a page for the citizen, or JSON).
"""

from __future__ import annotations

import base64
import hashlib
import time
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from joserfc import jws
from joserfc import jwt
from joserfc.jwk import KeySet

from idp.storage.models import AuthorizationCode
from idp.storage.models import ConsentGrant
from idp.storage.models import Interaction
from idp.storage.models import LoginSession
from idp.storage.models import PushedRequest
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from tests.support.checks import count
from tests.support.checks import error_page

ISSUER = "http://127.0.0.1:8400"  # the test configuration's issuer
SKEW = 60  # seconds of clock skew a relying party allows
# Every table a refused request must leave alone.
STORED = (
    AuthorizationCode,
    Token,
    Interaction,
    ConsentGrant,
    PushedRequest,
    ReleaseLogEntry,
    LoginSession,
)


def snapshot(app) -> dict[str, int]:
    """Row counts of every table a request could write to."""
    return {model.__name__: count(app, model) for model in STORED}


def assert_unchanged(app, before: dict[str, int]) -> None:
    assert snapshot(app) == before


def params(response) -> dict[str, str]:
    """The parameters of a redirect's Location, each exactly once."""
    parsed = parse_qs(urlsplit(response.headers["Location"]).query)
    assert all(len(v) == 1 for v in parsed.values()), parsed
    return {k: v[0] for k, v in parsed.items()}


def redirect_error(response, redirect_uri: str, error: str, state: str | None) -> dict[str, str]:
    """An error sent back to the client's redirect URI (RFC 6749 §4.1.2.1, RFC 9207 §2)."""
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert response.headers["Location"].startswith(redirect_uri + "?")
    answer = params(response)
    assert answer["error"] == error, answer
    assert answer["iss"] == ISSUER
    if state is None:
        assert "state" not in answer
    else:
        assert answer["state"] == state
    assert "code" not in answer
    return answer


def page_error(response, error: str, status: int = 400) -> None:
    """An error shown to the citizen, never redirected: the redirect URI is not trusted."""
    shown = error_page(response, status)
    assert shown == error, shown


def json_error(response, status: int | tuple[int, ...], error: str) -> dict:
    """An error answered to the client as JSON (RFC 6749 §5.2, RFC 9126 §2.3)."""
    allowed = status if isinstance(status, tuple) else (status,)
    assert response.status_code in allowed, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["error"] == error, body
    assert not {"access_token", "id_token", "refresh_token", "request_uri"} & set(body)
    return body


def callback(response, state: str | None) -> dict[str, str]:
    """A successful authorization response: a code, the state echoed, the issuer named."""
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    answer = params(response)
    assert "error" not in answer, answer
    assert answer["iss"] == ISSUER  # RFC 9207 §2
    assert answer.get("state") == state
    assert len(answer["code"]) >= 43  # ≥ 128 bits (RFC 6749 §10.10)
    return answer


def half_hash(value: str) -> str:
    """at_hash / c_hash for RS256 and ES256: left half of SHA-256 (OIDC Core §3.1.3.6)."""
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def jwks(browser) -> KeySet:
    response = browser.get("/jwks.json")
    assert response.status_code == 200
    return KeySet.import_key_set(response.get_json())


def validate_id_token(
    browser,
    id_token: str,
    client_id: str,
    nonce: str,
    access_token: str | None = None,
    alg: str = "RS256",
    max_age: int | None = None,
) -> dict:
    """Every check OIDC Core §3.1.3.7 asks of a client; the claims when all hold."""
    header = jws.extract_compact(id_token.encode()).headers()
    assert header["alg"] == alg  # item 7: the algorithm the client registered
    keys = jwks(browser)
    assert header.get("kid") in {k.kid for k in keys.keys}  # §10.1: the key is named
    claims = dict(jwt.decode(id_token, keys, algorithms=[alg]).claims)  # item 6
    now = int(time.time())
    assert claims["iss"] == ISSUER  # item 2
    assert claims["aud"] == client_id  # item 3: one audience, as a string
    assert claims.get("azp") in (None, client_id)  # items 4–5
    assert claims["exp"] > now  # item 9
    assert now - SKEW <= claims["iat"] <= now + SKEW  # item 10
    assert claims["nonce"] == nonce  # item 11
    assert isinstance(claims["sub"], str) and 0 < len(claims["sub"]) <= 255  # §2
    if access_token is not None:
        assert claims["at_hash"] == half_hash(access_token)  # §3.1.3.8
    if max_age is not None:
        assert claims["auth_time"] <= now  # item 13
    assert "c_hash" not in claims  # code flow: the code never travels beside an ID token
    return claims
