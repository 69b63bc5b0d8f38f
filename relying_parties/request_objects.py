"""Signed request objects (RFC 9101) and pushed authorization requests (RFC 9126).

Authlib's client builds the authorization request (state, nonce, PKCE); for a service on the
FTN profile every one of its parameters is then moved into a request object signed RS256 with
the service's `sig` key, sent by value or pushed to the broker's PAR endpoint first.
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

from authlib.common.errors import AuthlibBaseError
from joserfc import jwt
from requests import RequestException

from .client import BrokerUnavailable
from .client import SiltaClient

LIFETIME = 300  # seconds; the broker accepts exp at most 60 minutes after nbf
OBJECT_TYPE = "oauth-authz-req+jwt"  # RFC 9101 §10.8: explicit typing


def sign(client: SiltaClient, params: dict) -> str:
    """RFC 9101 §4: every parameter, plus iss, aud, iat, exp and a single-use jti."""
    issued = int(time.time())
    claims: dict = {
        **params,
        "iss": client.client_id,
        "aud": client.issuer,
        "iat": issued,
        "nbf": issued,  # FAPI 2.0 Message Signing §5.3.1
        "exp": issued + LIFETIME,
        "jti": secrets.token_urlsafe(16),
    }
    # OIDC Core §6.1: inside the object, numbers and the claims request are JSON, not strings.
    if "max_age" in claims:
        claims["max_age"] = int(claims["max_age"])
    if "claims" in claims:
        claims["claims"] = json.loads(claims["claims"])
    header = {"alg": "RS256", "kid": client.keys.sig.kid, "typ": OBJECT_TYPE}
    return jwt.encode(header, claims, client.keys.sig)


def push(client: SiltaClient, request_object: str) -> str:
    """RFC 9126 §2.1: push the object, authenticated as at /token; return the request_uri."""
    endpoint = client.load_server_metadata().get("pushed_authorization_request_endpoint")
    if not endpoint:
        raise BrokerUnavailable("the broker offers no pushed_authorization_request_endpoint")
    try:
        response = client.post(
            endpoint,
            data={"client_id": client.client_id, "request": request_object},
            auth=client.client_auth(),
            withhold_token=True,
        )
        body = response.json()
    except (RequestException, ValueError, AuthlibBaseError) as error:
        raise BrokerUnavailable(f"PAR failed: {error.__class__.__name__}") from None
    # §2.2: success is 201 with a request_uri; §2.3: errors are JSON, never a redirect.
    if response.status_code != 201 or not isinstance(body.get("request_uri"), str):
        raise BrokerUnavailable(f"PAR answered {response.status_code}: {body.get('error')}")
    return body["request_uri"]


def authorization_url(client: SiltaClient, url: str) -> str:
    """The authorization URL to send the browser to, in the service's request-object mode."""
    params = dict(parse_qsl(urlsplit(url).query))
    request_object = sign(client, params)
    endpoint = client.load_server_metadata()["authorization_endpoint"]
    if client.service.request_object == "par":
        query = {"client_id": client.client_id, "request_uri": push(client, request_object)}
    else:
        query = {"client_id": client.client_id, "request": request_object}
    return f"{endpoint}?{urlencode(query)}"
