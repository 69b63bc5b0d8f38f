"""Signed request objects (RFC 9101) and pushed authorization requests (RFC 9126).

An Authlib server extension in the style of its own ``rfc9101.JWTAuthenticationRequest``: before
the grant is chosen, a `request` object or a `request_uri` from /par replaces the request's
parameters. Authlib's own extension checks only the signature and `client_id`; the FTN and
FAPI 2.0 profiles also need `iss`, `aud`, `exp`, a single-use `jti`, an algorithm allow-list and,
for clients that require it, nothing outside the object but `client_id` and `request`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc9101.errors import InvalidRequestObjectError
from authlib.oauth2.rfc9101.errors import InvalidRequestUriError
from authlib.oauth2.rfc9101.errors import RequestUriNotSupportedError
from flask import current_app
from joserfc import jws
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwk import OctKey
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..hashing import digest
from ..hashing import new_secret
from ..storage import single_use
from ..storage import transaction
from ..storage.models import PushedRequest
from ..storage.models import now
from ..storage.spent import spend_once
from . import client_keys
from . import client_secrets

ALGORITHMS = ["RS256", "PS256", "ES256"]  # never `none` (RFC 9101 §10.1)
# OIDC Core §6.1 and §10.1: a request object may be MACed with the client secret. Only clients
# whose secret the broker can open (client_secret_jwt) qualify: never a public client, and never
# one known only by a hash (RFC 9101 §10.1, §10.2).
SECRET_ALGORITHMS = ["HS256"]
MAX_LIFETIME = 600  # seconds an object may still live: stricter than FAPI's 60 minutes
MAX_AGE = 3600  # FAPI 2.0 Message Signing §5.3.1: nbf no more than 60 minutes in the past
PAR_LIFETIME = 60  # seconds a pushed request waits (RFC 9126 §2.2: short)
PAR_PREFIX = "urn:ietf:params:oauth:request_uri:"
JWT_CLAIMS = {"iss", "aud", "exp", "iat", "nbf", "jti"}
OUTSIDE_ALLOWED = {"client_id", "request", "request_uri"}


def decode_request_object(raw: str, client) -> dict:
    """The authorization parameters a request object carries, after every check."""
    try:
        header = jws.extract_compact(raw.encode()).headers()
    except (JoseError, ValueError):
        raise InvalidRequestObjectError("The request object is not a signed JWT.") from None
    alg = header.get("alg")
    keys: OctKey | KeySet
    if alg in SECRET_ALGORITHMS:
        keys = _secret_key(client)
    elif alg in ALGORITHMS:
        keys = _public_keys(client, header.get("kid"))
    else:
        raise InvalidRequestObjectError(
            f"Request objects must be signed with {', '.join(ALGORITHMS)}"
            f" (or {', '.join(SECRET_ALGORITHMS)} by a client_secret_jwt client)."
        )
    try:
        claims = jwt.decode(raw, keys, algorithms=[alg]).claims
        jwt.JWTClaimsRegistry(
            leeway=30,
            iss={"essential": True, "value": client.client_id},
            aud={"essential": True, "value": current_app.config["ISSUER"]},
            exp={"essential": True},
            nbf={"essential": True},
            jti={"essential": True},
            client_id={"essential": True, "value": client.client_id},
        ).validate(claims)
    except JoseError as error:
        raise InvalidRequestObjectError(error.description or "Invalid request object.") from None
    _check_lifetime(claims)
    if "request" in claims or "request_uri" in claims:
        raise InvalidRequestObjectError("A request object cannot hold another.")
    _spend_jti(client.client_id, str(claims["jti"]), int(claims["exp"]))
    return {
        k: v if isinstance(v, str) else _as_param(v)
        for k, v in claims.items()
        if k not in JWT_CLAIMS
    }


def _check_lifetime(claims: dict) -> None:
    """FAPI 2.0 Message Signing §5.3.1: nbf at most 60 minutes old, exp at most 60 after nbf."""
    nbf, exp = claims["nbf"], claims["exp"]
    if not isinstance(nbf, int | float) or not isinstance(exp, int | float):
        raise InvalidRequestObjectError("nbf and exp must be numbers.")
    if nbf < time.time() - MAX_AGE:
        raise InvalidRequestObjectError("The request object's nbf is more than 60 minutes old.")
    if exp - nbf > MAX_AGE or exp > time.time() + MAX_LIFETIME:
        raise InvalidRequestObjectError("The request object lives too long.")


def _public_keys(client, kid: str | None) -> KeySet:
    try:
        keys = client_keys.keyset(client, kid=kid)
    except client_keys.ClientKeysUnavailable as error:
        raise InvalidRequestObjectError(str(error)) from None
    if kid and not any(k.kid == kid for k in keys.keys):
        raise InvalidRequestObjectError("The request object names an unknown key.")
    return keys


def _secret_key(client) -> OctKey:
    if client.token_endpoint_auth_method not in client_secrets.SEALED_SECRET_METHODS:
        raise InvalidRequestObjectError(
            "Only a client_secret_jwt client may sign request objects with its secret."
        )
    try:
        return OctKey.import_key(client_secrets.open_secret(client))
    except client_secrets.SecretUnavailable as error:
        raise InvalidRequestObjectError(str(error)) from None


def _as_param(value) -> str:
    return str(value) if isinstance(value, int | float) else json.dumps(value)


def _spend_jti(client_id: str, jti: str, exp: int) -> None:
    """A request object is used once (RFC 9101 §10.8, FAPI 2.0): its jti is spent for good."""
    if not spend_once("request-object", client_id, jti, expires_at=exp + 30):
        raise InvalidRequestObjectError("The request object has been used before.")


def push(client, params: dict) -> tuple[str, int]:
    """Store a validated request; return its request_uri and lifetime. The caller commits."""
    secret = new_secret(32)
    db.session.add(
        PushedRequest(
            uri_hash=digest(secret),
            client_id=client.client_id,
            params=params,
            expires_at=now() + PAR_LIFETIME,
        )
    )
    return PAR_PREFIX + secret, PAR_LIFETIME


def redeem(request_uri: str, client) -> dict:
    """The pushed request behind a request_uri, once, for the client that pushed it."""
    if not request_uri.startswith(PAR_PREFIX):
        # OIDC Core §6.2 request_uri by reference is not offered (discovery says
        # request_uri_parameter_supported: false); OIDC Core §3.1.2.6 names the error.
        raise RequestUriNotSupportedError(
            "Only request_uri values from this broker's /par endpoint are accepted."
        )
    uri_hash = digest(request_uri[len(PAR_PREFIX) :])
    pushed = db.session.get(PushedRequest, uri_hash)
    if pushed is None or not single_use.spend_pushed_request(uri_hash, client.client_id):
        transaction.rollback()
        raise InvalidRequestUriError("The request_uri is unknown, used or expired.")
    params = pushed.params
    transaction.commit()  # spent even if the rest of the request then fails
    return params


class RequestObjects:
    """Server extension: unpack `request` and `request_uri` before Authlib validates."""

    def __call__(self, server) -> None:
        server.register_hook("before_get_authorization_grant", self.unpack)

    def unpack(self, server, request) -> None:
        if getattr(request, "replayed", False):
            return  # an interaction's stored request: unpacked when it first arrived
        refuse_repeated(request.payload.data)
        data = request.payload.data
        client = server.query_client(data.get("client_id"))
        if client is None:
            return  # Authlib answers an unknown client
        if data.get("request_uri"):
            params = redeem(data["request_uri"], client)
        elif client.require_pushed_authorization_requests:
            raise InvalidRequestError("This client must push its requests to /par (RFC 9126).")
        elif data.get("request"):
            params = unpack_object(data, client)
        else:
            params = dict(data.items())
            if client.require_signed_request_object:
                raise InvalidRequestError("This client must send a signed request object.")
        request.payload = BasicOAuth2Payload(params)


def refuse_repeated(sent: Mapping[str, Any]) -> None:
    """RFC 6749 §3.1: no parameter more than once. Checked before the parameters are flattened
    into the request Authlib and the rules read (request_rules.py), which see one value each.

    ``sent`` is Flask's ``request.values``: Werkzeug (3.1.9) keeps each of its parts (the
    query, then the form) as a dict of value lists, read here as such, without a call per
    parameter; tests/integration/test_request_parameters.py holds it to refusing a parameter
    repeated in the query, in the form, or across both.
    """
    parts = sent.dicts if isinstance(sent, CombinedMultiDict) else (sent,)
    seen: set[str] = set()
    for part in parts:
        if not isinstance(part, MultiDict):
            continue  # a plain mapping holds one value per name
        for name, values in dict.items(part):
            if len(values) > 1 or name in seen:
                raise InvalidRequestError(f"Multiple '{name}' in request.")
            seen.add(name)


def unpack_object(data, client) -> dict:
    params = decode_request_object(data["request"], client)
    if client.require_signed_request_object:
        outside = set(data) - OUTSIDE_ALLOWED
        if outside:  # FTN: only `request` and `client_id` travel outside the object
            raise InvalidRequestError(
                f"Parameters outside the request object: {', '.join(sorted(outside))}."
            )
    else:
        # RFC 9101 §5: the object's values win; OIDC Core §6.1 lets others be merged.
        params = {**{k: v for k, v in data.items() if k != "request"}, **params}
    return params
