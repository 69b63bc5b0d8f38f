"""DPoP-bound tokens (RFC 9449): the token grants' extension and the userinfo token validators.

At /token the proof is checked before anything is redeemed, and what the grant issues is bound
to the proof's key (`token_type: DPoP`, the key's thumbprint stored as the token's `cnf.jkt`,
§6). At /userinfo a bound token is accepted only as `Authorization: DPoP` with a proof by the
same key over this request and this token (§7); a Bearer presentation of it is refused.
"""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidGrantError
from authlib.oauth2.rfc6749 import TokenValidator
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc6750 import InsufficientScopeError
from flask import current_app

from ..hashing import digest
from ..storage import tokens
from ..storage.models import AccessToken
from ..storage.models import Token
from . import dpop

TOKEN_PATH = "/token"
USERINFO_PATH = "/userinfo"


class DPoPBinding:
    """Grant extension: check a token request's proof, then bind what the grant issues to it."""

    def __call__(self, grant) -> None:
        # Before create_token_response: the code or refresh token is known, nothing redeemed yet.
        grant.register_hook("before_create_token_response", self.check)
        grant.register_hook("after_create_token_response", self.mark)

    def check(self, grant) -> None:
        request = grant.request
        raw = dpop.read_proof(request.headers)
        proof = None
        if raw is not None:
            url = current_app.config["ISSUER"] + TOKEN_PATH
            proof = dpop.check_proof(raw, "POST", url)
        elif request.client.dpop_bound_access_tokens:
            # §5.2: a client registered with dpop_bound_access_tokens always sends a proof.
            raise dpop.InvalidDPoPProofError("This client must send a DPoP proof.")
        bound_to = _bound_key(grant)
        if bound_to is not None and proof is None:
            raise InvalidGrantError("This grant is bound to a DPoP key: send a DPoP proof.")
        if bound_to is not None and proof is not None and proof.jkt != bound_to:
            raise InvalidGrantError("The DPoP proof is signed by another key than the grant's.")
        if proof is not None:
            dpop.spend(proof)
            request.dpop_jkt = proof.jkt

    def mark(self, grant, response) -> None:
        _, token, _ = response
        if getattr(grant.request, "dpop_jkt", None):
            token["token_type"] = "DPoP"  # §5: the access token is DPoP-bound


def _bound_key(grant) -> str | None:
    """The key the presented credential is bound to: a code by `dpop_jkt` (§10), a public
    client's refresh token by the key of its first DPoP proof (§5)."""
    request = grant.request
    code = getattr(request, "authorization_code", None)
    if code is not None:
        return code.dpop_jkt
    refresh: Token | None = getattr(request, "refresh_token", None)
    if refresh is not None and request.client.token_endpoint_auth_method == "none":
        return refresh.dpop_jkt
    return None


def _lookup(token_string: str) -> AccessToken | None:
    return tokens.by_access_hash(digest(token_string))


class AccessTokenValidator(BearerTokenValidator):
    """`Authorization: Bearer` (RFC 6750 §2.1), for tokens that are not DPoP-bound."""

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        return _lookup(token_string)

    def validate_token(self, token, scopes, request) -> None:
        super().validate_token(token, scopes, request)
        if token.dpop_jkt:
            # §7.2: a DPoP-bound token presented as a bearer token is refused.
            raise dpop.InvalidDPoPTokenError("This access token is DPoP-bound: present it as DPoP.")


class DPoPTokenValidator(TokenValidator):
    """`Authorization: DPoP` with a proof over this request and this token (§7.1)."""

    TOKEN_TYPE = "dpop"

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        return _lookup(token_string)

    def validate_request(self, request) -> None:
        token_string = request.headers["Authorization"].split(None, 1)[1]
        raw = dpop.read_proof(request.headers)
        if raw is None:
            raise dpop.InvalidDPoPProofError("Send a DPoP proof with a DPoP token.", resource=True)
        url = current_app.config["ISSUER"] + USERINFO_PATH
        request.dpop_proof = dpop.check_proof(
            raw, request.method, url, access_token=token_string, resource=True
        )

    def validate_token(self, token, scopes, request) -> None:
        if token is None or token.is_expired() or token.is_revoked():
            raise dpop.InvalidDPoPTokenError("The access token is unknown, expired or revoked.")
        proof: dpop.Proof = request.dpop_proof
        if token.dpop_jkt != proof.jkt:  # §7.1: the proof's key is the token's cnf.jkt
            raise dpop.InvalidDPoPTokenError("The access token is not bound to this DPoP key.")
        if self.scope_insufficient(token.get_scope(), scopes):
            raise InsufficientScopeError()
        dpop.spend(proof, resource=True)
