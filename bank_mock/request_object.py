"""Signed request objects (RFC 9101) as the FTN profile requires them: the whole request, RS256.

Everything checked here comes before the redirect URI is trusted, so every failure is shown to
the citizen as a page and never redirected (RFC 6749 §4.1.2.1, RFC 9101 §6.3).
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import AuthorizationServer
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc9101 import JWTAuthenticationRequest
from authlib.oauth2.rfc9101.errors import InvalidRequestObjectError
from flask import current_app
from joserfc import jws
from joserfc import jwt
from joserfc.errors import JoseError

from . import replay
from .clients import Client
from .models import now

ALGORITHM = "RS256"
MAX_LIFETIME = 600  # FTN: a request object expires at most 10 minutes after it is sent
LEEWAY = 30  # seconds of clock skew tolerated on exp and iat
OUTSIDE_PARAMETERS = ("response_type", "scope")  # OIDC Core §6.1: may repeat outside, equal


class SignedRequestObject(JWTAuthenticationRequest):
    """Authlib's RFC 9101 extension with the profile's header, claim and replay rules."""

    claims_validator = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        **{name: {"essential": True} for name in ("client_id", "iss", "aud", "exp", "iat", "jti")},
    )

    def __init__(self) -> None:
        super().__init__(support_request=True, support_request_uri=False)

    def parse_authorization_request(
        self, authorization_server: AuthorizationServer, request: OAuth2Request
    ) -> None:
        """Verify the request object before Authlib uses its claims as the request."""
        if getattr(request, "verified", False):
            return  # a stored transaction: its object was verified when it was stored
        outside = {name: request.payload.data.get(name) for name in OUTSIDE_PARAMETERS}
        client = authorization_server.query_client(request.payload.client_id)
        raw = request.payload.data.get("request")
        if client is not None and isinstance(raw, str):
            check_header(raw, client)
        super().parse_authorization_request(authorization_server, request)
        check_claims(request.payload.data, client)
        request.outside_parameters = {k: v for k, v in outside.items() if v is not None}

    def resolve_client_public_key(self, client: Client):
        return client.signing_keys()

    def get_server_metadata(self) -> dict:
        return {
            "request_object_signing_alg_values_supported": [ALGORITHM],
            "require_signed_request_object": True,
        }

    def get_client_require_signed_request_object(self, client: Client) -> bool:
        return True  # FTN: every client, every request


def _refuse(description: str) -> InvalidRequestObjectError:
    return InvalidRequestObjectError(description=description)


def check_header(raw: str, client: Client) -> None:
    """RS256 only (never none, never HS256), and the kid must name the client's signing key."""
    try:
        header = jws.extract_compact(raw.encode()).headers()
    except (JoseError, ValueError, UnicodeError):
        raise _refuse("The request object is not a compact JWS.") from None
    if header.get("alg") != ALGORITHM:
        raise _refuse("The request object must be signed with RS256.")
    if header.get("kid") != client.sig_key.kid:
        raise _refuse("The request object's kid names no registered signing key of the client.")


def check_claims(claims: dict, client: Client) -> None:
    """iss is the client, aud is this bank, exp is near, and the jti was never used."""
    issuer = current_app.config["ISSUER"]
    if claims["iss"] != client.client_id:
        raise _refuse("The request object's iss must be the client_id.")
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if issuer not in audience:
        raise _refuse("The request object's aud must be the bank's issuer.")
    if claims["exp"] > now() + MAX_LIFETIME + LEEWAY:
        raise _refuse("The request object must expire within 10 minutes.")
    if replay.seen(replay.REQUEST_OBJECT, client.client_id, claims["jti"]):
        raise _refuse("The request object was already used.")
