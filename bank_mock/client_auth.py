"""private_key_jwt, the only client authentication a bank accepts (RFC 7523 §2.2, OIDC Core §9)."""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from flask import current_app
from joserfc import jwt
from joserfc.errors import JoseError

from . import replay
from .clients import AUTH_METHOD
from .clients import Client
from .extensions import db

ALGORITHM = "RS256"


class PrivateKeyJWT(JWTBearerClientAssertion):
    """Authlib's client assertion check: RS256 by the client's sig key, jti used once."""

    CLIENT_AUTH_METHOD = AUTH_METHOD

    def __init__(self) -> None:
        super().__init__(validate_jti=True, leeway=30)

    def get_audiences(self) -> list[str]:
        issuer = current_app.config["ISSUER"]
        return [issuer + "/token", issuer]  # the token endpoint; the issuer is also accepted

    def resolve_client_public_key(self, client: Client):
        return client.signing_keys()

    def process_assertion_claims(self, assertion: str, resolve_key) -> dict:
        """Verify the assertion, RS256 only, then its claims."""
        try:
            token = jwt.decode(assertion, resolve_key, algorithms=[ALGORITHM])
        except JoseError as error:
            raise InvalidClientError(description=error.description or error.error) from error
        self.verify_claims(token.claims)
        return token.claims

    def validate_jti(self, claims: dict, jti: str) -> bool:
        """Use the assertion's jti up; False if it was used before."""
        # Committed at once: a replay is refused even if this token request fails later, and
        # after a restart.
        fresh = replay.consume(replay.CLIENT_ASSERTION, claims["sub"], jti, claims["exp"])
        db.session.commit()
        return fresh
