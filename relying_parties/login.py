"""Starting a login at the broker and finishing it at the callback (OIDC Core §3.1).

`start` asks Authlib for the authorization request (state, nonce, PKCE S256) and keeps what
the callback must check in the server-side session. `finish` checks `iss` (RFC 9207), `state`
and an `error`, redeems the code through Authlib, then checks the ID token (tokens.py) and,
where the service reads it, the userinfo answer (§5.3.2: its `sub` must match).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass

from authlib.common.errors import AuthlibBaseError
from flask import current_app
from flask import session
from requests import RequestException

from . import request_objects
from . import tokens
from .client import BrokerUnavailable
from .client import broker_client
from .errors import BrokerRefused
from .errors import LoginFailed
from .services import level
from .sessions import LOGIN

LOGIN_PURPOSE = "login"
STEP_UP_PURPOSE = "step_up"


@dataclass(frozen=True)
class Login:
    """A finished login: the checked ID token's claims, the signed ID token, userinfo."""

    claims: dict
    id_token: str
    userinfo: dict | None
    purpose: str
    received_at: int
    expected_sub: str | None = None  # a step-up's: the person the session held when it began


def start(
    purpose: str = LOGIN_PURPOSE,
    *,
    acr_values: str,
    locale: str,
    max_age: int | None = None,
    prompt: str | None = None,
    id_token_hint: str | None = None,
    expected_sub: str | None = None,
) -> str:
    """The URL that sends the browser to the broker for this login."""
    client = broker_client()
    service = client.service
    redirect_uri = current_app.config["BASE_URL"] + "/callback"
    extra: dict = {"acr_values": acr_values, "ui_locales": locale}
    if service.essential_claims:  # OIDC Core §5.5: claims the citizen cannot untick
        essential = {name: {"essential": True} for name in service.essential_claims}
        extra["claims"] = json.dumps({"id_token": essential}, separators=(",", ":"))
    for name, value in (("max_age", max_age), ("prompt", prompt), ("id_token_hint", id_token_hint)):
        if value is not None:
            extra[name] = value
    authorization = client.create_authorization_url(redirect_uri, **extra)
    url = authorization["url"]
    if service.request_object != "none":
        url = request_objects.authorization_url(client, url)
    floor = min(acr_values.split(), key=level)  # OIDC Core §3.1.2.1: any listed level is enough
    client.save_authorize_data(
        redirect_uri=redirect_uri,
        purpose=purpose,
        acr_floor=floor,
        max_age=max_age,
        expected_sub=expected_sub,
        **authorization,
    )
    return url


def finish(args: Mapping[str, str]) -> Login:
    """Check the authorization response and redeem it; raise LoginFailed or BrokerRefused."""
    client = broker_client()
    if args.get("iss") != client.issuer:  # RFC 9207 §2.4: a mix-up defence, checked first
        raise LoginFailed("wrong_issuer")
    state = args.get("state") or ""
    pending = client.framework.get_state_data(session, state) if state else None
    if pending is None:
        raise LoginFailed("state")
    client.framework.clear_state_data(session, state)  # one answer per request
    if args.get("error"):
        raise BrokerRefused(args["error"], pending["purpose"])
    if not args.get("code"):
        raise LoginFailed("no_code")
    try:
        token = client.fetch_access_token(
            redirect_uri=pending["redirect_uri"],
            grant_type="authorization_code",
            code=args["code"],
            code_verifier=pending["code_verifier"],
        )
    except (AuthlibBaseError, RequestException, BrokerUnavailable) as error:
        raise LoginFailed("token_request", str(error)) from None
    try:
        return _checked(client, token, pending)
    except LoginFailed as failed:
        failed.purpose = pending["purpose"]  # a failed step-up is explained as one
        raise


def _checked(client, token: dict, pending: dict) -> Login:
    service = client.service
    try:
        # RP-Initiated Logout §2: the signed token inside the JWE is the one to send as a hint.
        signed = tokens.decrypt(
            token.get("id_token") or "",
            client.keys.enc if client.keys else None,
            required=service.encrypted_id_token,
        )
        claims = tokens.check_id_token(
            signed,
            client.broker_keys,
            issuer=client.issuer,
            client_id=client.client_id,
            nonce=pending["nonce"],
            access_token=token.get("access_token"),
            alg="RS256",
            acr_floor=pending["acr_floor"],
            max_age=pending.get("max_age"),
        )
    except tokens.TokenInvalid as invalid:
        raise LoginFailed(f"id_token_{invalid.reason}") from None
    except BrokerUnavailable as error:
        raise LoginFailed("jwks", str(error)) from None
    userinfo = _userinfo(client, token, claims["sub"]) if service.userinfo else None
    received = int(time.time())
    return Login(
        claims, signed, userinfo, pending["purpose"], received, pending.get("expected_sub")
    )


def _userinfo(client, token: dict, sub: str) -> dict:
    try:
        response = client.get(client.load_server_metadata()["userinfo_endpoint"], token=token)
        response.raise_for_status()
        answer = response.json()
    except (AuthlibBaseError, RequestException, ValueError, KeyError) as error:
        raise LoginFailed("userinfo", error.__class__.__name__) from None
    if not isinstance(answer, dict) or answer.get("sub") != sub:  # OIDC Core §5.3.2
        raise LoginFailed("userinfo_sub")
    return answer


# ID-token claims about the token itself; everything else was released about the citizen.
PROTOCOL_CLAIMS = frozenset(
    {"iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "azp", "sid", "jti", "auth_time"}
)
AUTHENTICATION_CLAIMS = ("sub", "acr", "amr", "auth_time")


def record(result: Login) -> dict:
    """What the session keeps of a login: what the service received, and how."""
    service = broker_client().service
    released = {
        k: v
        for k, v in result.claims.items()
        if k not in PROTOCOL_CLAIMS and k not in AUTHENTICATION_CLAIMS
    }
    if result.userinfo:
        released |= {k: v for k, v in result.userinfo.items() if k != "sub"}
    return {
        **{k: result.claims.get(k) for k in AUTHENTICATION_CLAIMS},
        "sid": result.claims.get("sid"),
        "released": released,
        "id_token": result.id_token,
        "received_at": result.received_at,
        "encrypted_id_token": service.encrypted_id_token,
        "request_object": service.request_object,
        "userinfo": result.userinfo is not None,
    }


def remember(result: Login) -> None:
    """Start this browser's session with a new login, under a new session key."""
    session.clear()
    session.rotate()  # OWASP ASVS V3.2.1: a new session id at login
    session[LOGIN] = record(result)
