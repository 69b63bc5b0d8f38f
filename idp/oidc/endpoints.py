"""Endpoints beside authorize and token: userinfo, revocation, logout."""

from __future__ import annotations

from authlib.consts import default_json_headers
from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749 import UnsupportedTokenTypeError
from authlib.oauth2.rfc6750 import InvalidTokenError
from authlib.oauth2.rfc7009 import RevocationEndpoint as _RevocationEndpoint
from authlib.oidc.core import UserInfoEndpoint as _UserInfoEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint as _EndSessionEndpoint
from flask import current_app
from joserfc import jwt
from joserfc.jwk import KeySet

from .. import accounts
from .. import sessions
from ..audit import events
from ..audit import release_log
from ..hashing import digest
from ..storage import clients as stored_clients
from ..storage import tokens
from ..storage import transaction
from ..storage.models import AccessToken
from ..storage.models import Token
from . import claims
from . import client_keys
from . import dpop
from . import keys
from .grants import TOKEN_AUTH_METHODS

JWKS_URI_TIMEOUT = 5  # seconds; an upstream call is always bounded
JWKS_URI_CACHE_SECONDS = 300


class UserInfoEndpoint(_UserInfoEndpoint):
    """OIDC Core §5.3: `sub` and the consented claims; each answer is a release, so it is logged.

    Authlib's endpoint passes only the user and scope on; the claims a token may release are
    the token's own, so the call reads them from the token.
    """

    def __call__(self, request):
        # The protector's core check on this request (RFC 6750 §2.1 header, then the token's
        # validator): Flask's acquire_token would wrap the same request a second time.
        token: AccessToken = self.resource_protector.validate_request(["openid"], request)
        person = token.person
        client = stored_clients.load(token.client_id)
        if client is None:  # removed since: its tokens answer nothing (RFC 6750 §3.1)
            raise InvalidTokenError("The access token's service is no longer registered.")
        info = {
            "sub": accounts.subject_for(person, client),
            **claims.claim_values(person, token.claims),
        }
        release_log.append(
            person_id=person.id,
            client_id=client.client_id,
            client_name=client.name,
            channel="userinfo",
            claims=list(token.claims),
            method=token.method,
            acr=token.acr,
        )
        nonce = dpop.nonce_headers() if token.dpop_jkt else []
        if client.userinfo_signed_response_alg:
            body = _signed_userinfo(info, client)
            transaction.commit()
            headers = [("Content-Type", "application/jwt"), ("Cache-Control", "no-store")]
            return 200, body, headers + nonce
        transaction.commit()
        return 200, info, default_json_headers + nonce


def _signed_userinfo(info: dict, client) -> str:
    """OIDC Core §5.3.2: a signed userinfo answer carries iss and aud; encrypted if registered."""
    alg = client.userinfo_signed_response_alg
    key = keys.cache().signing_key(alg)
    signed = jwt.encode(
        {"alg": alg, "kid": key.kid, "typ": "JWT"},
        {**info, "iss": current_app.config["ISSUER"], "aud": client.client_id},
        key,
    )
    if not client.userinfo_encrypted_response_alg:
        return signed
    try:
        return client_keys.encrypt_to(
            client,
            signed,
            client.userinfo_encrypted_response_alg,
            client.userinfo_encrypted_response_enc,
        )
    except client_keys.ClientKeysUnavailable as error:
        raise InvalidClientError(description=str(error)) from None


class RevocationEndpoint(_RevocationEndpoint):
    CLIENT_AUTH_METHODS = TOKEN_AUTH_METHODS

    def check_params(self, request, client) -> None:
        try:
            super().check_params(request, client)
        except UnsupportedTokenTypeError as error:
            # RFC 7009 §2.2.1 errors are RFC 6749 §5.2 errors: 400, where Authlib says 401.
            error.status_code = 400
            raise

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return tokens.by_either_hash(digest(token_string))

    def revoke_token(self, token: Token, request) -> None:
        # RFC 7009 §2.1: revoking a refresh token revokes the access tokens of the same grant;
        # the two live in one row, so either revokes both.
        tokens.revoke(token.id)
        transaction.commit()
        events.emit(events.TOKEN_REVOKED, client_id=token.client_id, token_id=token.id)


class EndSessionEndpoint(_EndSessionEndpoint):
    """RP-Initiated Logout 1.0: end the broker session the ID token hint names."""

    def get_server_jwks(self) -> KeySet:
        return keys.cache().public_keys()

    def validate_request(self, request):
        end_session_request = super().validate_request(request)
        hinted = end_session_request.id_token_claims
        # RP-Initiated Logout §2: "the OP MUST validate that it was the issuer of the ID Token".
        # Authlib checks only the signature; a token naming another `iss` was not issued here.
        if hinted is not None and hinted.get("iss") != current_app.config["ISSUER"]:
            raise InvalidRequestError("'id_token_hint' was not issued by this provider.")
        return end_session_request

    def end_session(self, end_session_request) -> None:
        session = sessions.current()
        hinted = end_session_request.id_token_claims
        if session is None or (hinted and hinted.get("sid") not in (None, session.sid)):
            return  # nothing to end here, or the hint names another session: leave this one
        sessions.end(session, reason="rp_logout")
        transaction.commit()
