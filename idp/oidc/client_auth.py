"""Client authentication by JWT assertion (RFC 7523 §2.2, OIDC Core §9): both methods.

`private_key_jwt` is checked with the client's registered public keys; `client_secret_jwt` with
its secret, which the broker keeps sealed with KEY_ENCRYPTION_KEY because an HMAC cannot be
checked against a hash. Both are registered with Authlib's client authentication, so they apply
alike at /token, /par and /revoke.
"""

from __future__ import annotations

import json

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from flask import current_app
from flask import request
from joserfc import jws
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwk import OctKey

from ..storage.spent import spend_once
from . import client_keys
from . import client_secrets


class _ClientAssertion(JWTBearerClientAssertion):
    """A JWT client assertion (RFC 7523 §2.2, OIDC Core §9): `iss` = `sub` = client_id, `aud`,
    `exp`, and a `jti` used once.

    `aud` may name the token endpoint (OIDC Core §9's SHOULD), the issuer (RFC 7523 §3 item 3)
    or the PAR endpoint (RFC 9126 §2); the same assertion rules hold at /token, /par and /revoke.
    """

    ALGORITHMS: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=30)

    def __call__(self, query_client, request):
        # Both JWT methods read the same form fields: each answers only for the clients
        # registered with it, and leaves the other's to it.
        client_id = _assertion_subject(request.form.get("client_assertion"))
        client = query_client(client_id) if client_id else None
        registered = client.token_endpoint_auth_method if client is not None else None
        if registered in JWT_AUTH_METHODS and registered != self.CLIENT_AUTH_METHOD:
            return None
        return super().__call__(query_client, request)

    def get_audiences(self) -> list[str]:
        issuer = current_app.config["ISSUER"]
        return [issuer + "/token", issuer, issuer + "/par"]

    def process_assertion_claims(self, assertion: str, resolve_key):
        # Authlib leaves the algorithms to joserfc's defaults; each method names its own
        # (RFC 8725 §3.1), so a key is never used with an algorithm it was not meant for.
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=list(self.ALGORITHMS))
        except JoseError as error:
            raise InvalidClientError(description=error.description) from None
        aud = token.claims.get("aud")
        if isinstance(aud, list) and len(aud) != 1:
            # FAPI 2.0 §5.3.2.1 item 8: the assertion is for this server alone; an audience
            # list naming others could be replayed at them.
            raise InvalidClientError(description="The assertion's aud must name only this server.")
        self.verify_claims(token.claims)
        return token.claims

    def validate_jti(self, claims, jti: str) -> bool:
        # RFC 7523 §3 item 7, OIDC Core §9: an assertion's jti is used once, even if the token
        # request then fails.
        return spend_once(claims["iss"], jti, expires_at=int(claims["exp"]) + self.leeway)

    def check_registered(self, client) -> None:
        if client.token_endpoint_auth_method != self.CLIENT_AUTH_METHOD:
            # A client registered for another method has nothing to check this assertion
            # against; RFC 6749 §5.2 answers it with invalid_client, not a server error.
            raise InvalidClientError(
                description=f"This client does not use {self.CLIENT_AUTH_METHOD}."
            )


class PrivateKeyJWT(_ClientAssertion):
    """`private_key_jwt`: signed with the client's private key, checked with its public keys."""

    CLIENT_AUTH_METHOD = "private_key_jwt"
    ALGORITHMS = ("RS256", "PS256", "ES256")

    def resolve_client_public_key(self, client) -> KeySet:
        self.check_registered(client)
        try:
            return client_keys.keyset(client, kid=_assertion_kid())
        except client_keys.ClientKeysUnavailable as error:
            # The client's keys cannot be read, so its assertion cannot be checked (RFC 6749 §5.2).
            raise InvalidClientError(description=str(error)) from None


class ClientSecretJWT(_ClientAssertion):
    """`client_secret_jwt`: an HMAC with the client's secret, which the broker keeps sealed."""

    CLIENT_AUTH_METHOD = "client_secret_jwt"
    ALGORITHMS = ("HS256",)  # RFC 7518 §3.2: the secret carries ≥ 256 bits (32+ characters)

    def resolve_client_public_key(self, client) -> OctKey:
        self.check_registered(client)
        try:
            return OctKey.import_key(client_secrets.open_secret(client))
        except client_secrets.SecretUnavailable as error:
            raise InvalidClientError(description=str(error)) from None


JWT_AUTH_METHODS = (PrivateKeyJWT.CLIENT_AUTH_METHOD, ClientSecretJWT.CLIENT_AUTH_METHOD)
ASSERTION_ALGORITHMS = (*PrivateKeyJWT.ALGORITHMS, *ClientSecretJWT.ALGORITHMS)


def _assertion_kid() -> str | None:
    """The unverified `kid` of this request's assertion: only to pick or refetch keys."""
    assertion = request.form.get("client_assertion")
    if assertion is None:
        return None
    try:
        kid = jws.extract_compact(assertion.encode()).headers().get("kid")
    except (JoseError, ValueError):
        return None
    return kid if isinstance(kid, str) else None


def _assertion_subject(assertion) -> str | None:
    """The unverified `sub` of an assertion: only to choose which method checks it."""
    if not isinstance(assertion, str):
        return None
    try:
        sub = json.loads(jws.extract_compact(assertion.encode()).payload).get("sub")
    except (JoseError, ValueError, AttributeError):
        return None
    return sub if isinstance(sub, str) else None
