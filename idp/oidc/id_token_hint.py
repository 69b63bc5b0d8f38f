"""Verify an ``id_token_hint``: an ID token this broker issued to this client.

OIDC Core §3.1.2.1 and RP-Initiated Logout §2: the hint names a past session, so an expired
token is still a valid hint; its signature, issuer and audience must hold.
"""

from __future__ import annotations

from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError

from . import keys

ALGORITHMS = list(keys.SIGNING_ALGS)


class IdTokenHintError(ValueError):
    pass


def verify_id_token_hint(hint: str, client) -> dict:
    try:
        token = jwt.decode(hint, keys.cache().public_keys(), algorithms=ALGORITHMS)
    except (JoseError, ValueError):
        raise IdTokenHintError("'id_token_hint' is not an ID token issued here.") from None
    claims = token.claims
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else list(audience or [])
    if claims.get("iss") != current_app.config["ISSUER"] or client.client_id not in audiences:
        raise IdTokenHintError("'id_token_hint' was not issued to this client.")
    return dict(claims)
