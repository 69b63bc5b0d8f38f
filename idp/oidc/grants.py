"""The grants, filled in at Authlib's override points (STYLE rule 3)."""

from __future__ import annotations

from authlib.oauth2.rfc6749 import InvalidClientError
from authlib.oauth2.rfc6749 import InvalidGrantError
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import grants as oidc_grants
from flask import current_app

from .. import accounts
from .. import assurance
from ..audit import events
from ..audit import release_log
from ..hashing import digest
from ..hashing import new_secret
from ..storage import codes
from ..storage import people
from ..storage import tokens
from ..storage import transaction
from ..storage.models import StoredCode
from ..storage.models import Token
from ..storage.models import now
from . import claims
from . import client_keys
from . import dpop
from . import keys
from .server import Release

# `none` is for public clients only: they have no secret, and PKCE (mandatory here) binds
# the code to the instance that asked for it (RFC 9700 §2.1.1).
TOKEN_AUTH_METHODS = [
    "client_secret_basic",
    "client_secret_post",
    "private_key_jwt",
    "client_secret_jwt",
    "none",
]


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    AUTHORIZATION_CODE_LENGTH = 43  # 62^43 ≈ 2^256 (≥ 128 bits, RFC 6749 §10.10)

    def generate_authorization_code(self) -> str:
        # RFC 6749 §10.10: 256 bits from the OS's CSPRNG in one call (Authlib draws each of
        # its characters separately).
        return new_secret(32)

    def save_authorization_code(self, code: str, request) -> None:
        decision = request.decision
        session = decision.session
        payload = request.payload.data
        codes.insert(
            dict(
                code_hash=digest(code),
                client_id=request.client.client_id,
                person_id=decision.person.id,
                session_sid=session.sid,
                consent_id=decision.consent_id,
                redirect_uri=request.payload.redirect_uri,
                scope=request.scope,
                nonce=payload["nonce"],
                code_challenge=payload["code_challenge"],
                code_challenge_method="S256",
                claims=list(decision.claims),
                method=session.method,
                acr=_acr_for(session.acr, payload),
                amr=list(session.amr),
                auth_time=session.auth_time,
                expires_at=now() + current_app.config["CODE_LIFETIME"],
                used_at=None,
                dpop_jkt=payload.get("dpop_jkt"),  # RFC 9449 §10: the code's key
            ),
        )
        events.emit_on_success(
            events.CODE_ISSUED, client_id=request.client.client_id, sid=session.sid
        )

    def query_authorization_code(self, code: str, client) -> StoredCode | None:
        self._code_hash = digest(code)
        # A DPoP proof's jti is spent later, on a connection of its own (dpop_binding); SQLite
        # has one writer, so a request with a proof must not hold the write lock by then: its
        # code is redeemed in authenticate_user, once the proof was checked.
        if dpop.HEADER not in self.request.headers:
            redeemed = self._redeem(client)
            if redeemed is not None:
                return redeemed
        # Not redeemable as asked: read the code so that Authlib names what is wrong (unknown,
        # expired, redirect URI, verifier) and a second redemption is recognised.
        found = codes.read(self._code_hash)
        if found is None or found.client_id != client.client_id or found.expires_at <= now():
            return None
        if found.used_at is not None:
            _refuse_reuse(found)
            return None
        return found

    def authenticate_user(self, code: StoredCode) -> Release:
        if code.used_at is None:
            # Read, not yet redeemed (a request with a DPoP proof): redeemed now, by the same
            # statement, every other check passed. Of two racing redemptions, on any node,
            # exactly one changes the row (RFC 6749 §4.1.2, RFC 9700 §4.5).
            redeemed = self._redeem(self.request.client)
            if redeemed is None:
                again = codes.read(self._code_hash)
                if again is not None and again.used_at is not None:
                    _refuse_reuse(code)
                    raise InvalidGrantError("The authorization code has already been used.")
                raise InvalidGrantError("The authorization code has expired.")
            code = redeemed
        return Release.of_code(code, self.request.client)

    def _redeem(self, client) -> StoredCode | None:
        """The one redemption (storage/codes.py): only a request matching the code spends it."""
        payload = self.request.payload
        verifier = payload.data.get("code_verifier")
        if not verifier or not payload.redirect_uri:
            return None
        return codes.redeem(
            code_hash=self._code_hash,
            client_id=client.client_id,
            redirect_uri=payload.redirect_uri,
            code_challenge=create_s256_code_challenge(verifier),
        )

    def delete_authorization_code(self, code: StoredCode) -> None:
        """Keep the used row until the sweep, so a second redemption is recognised."""


def _refuse_reuse(code: StoredCode) -> None:
    # RFC 6749 §4.1.2: a code used twice SHOULD revoke all tokens issued from it.
    revoked = tokens.revoke_of_code(code.id)
    transaction.commit()
    events.emit(events.CODE_REUSED, client_id=code.client_id, tokens_revoked=revoked)


def _acr_for(session_acr: str, payload) -> str:
    # OIDC Core §5.5.1.1: values of an essential `acr` in the claims parameter are asked for as
    # much as `acr_values` are, so they choose the vocabulary of the answer too.
    essential = claims.requested_claims(
        "", claims.parse_claims_parameter(payload.get("claims")), []
    ).acr_values
    return assurance.express(session_acr, " ".join([payload.get("acr_values") or "", *essential]))


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotate on every use (RFC 9700 §4.14.2)

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        row = tokens.by_refresh_hash(digest(refresh_token))
        if row is None or row.client_id != self.request.client.client_id:
            return None
        if row.is_refresh_usable():
            return row
        if row.rotated_at is None or (row.refresh_expires_at or 0) <= now():
            return None  # revoked or expired, not reused
        # RFC 9700 §4.14.2: a refresh token used again after rotation. Within a short grace
        # the client most likely lost the response: its successor is withdrawn and the old
        # token answers once more. Later, it is a replay: the whole family is revoked.
        within_grace = now() - row.rotated_at < current_app.config["REFRESH_REUSE_GRACE"]
        if within_grace and tokens.revoke_family(row.family_id, keep=row.id):
            return row
        revoked = tokens.revoke_family(row.family_id)
        transaction.commit()
        events.emit(events.TOKEN_REUSED, client_id=row.client_id, family_revoked=revoked)
        return None

    def authenticate_user(self, token: Token) -> Release | None:
        released = tuple(token.claims)
        narrowed = self.request.payload.scope
        if narrowed:
            # RFC 6749 §6 lets the client narrow the scope; the narrower token then releases
            # none of the claims of the scopes it dropped (OIDC Core §5.4).
            dropped = set(token.scope.split()) - set(narrowed.split())
            withheld = {c for s in dropped for c in claims.SCOPE_CLAIMS.get(s, ())}
            released = tuple(c for c in released if c not in withheld)
        person = people.facts(token.person_id)
        if person is None:
            return None
        return Release.of_token(token, self.request.client, person, released)

    def revoke_old_credential(self, token: Token) -> None:
        if token.rotated_at is not None:
            return  # the grace path: rotated already, its successor withdrawn
        # Rotate atomically: of two refreshes racing with the same token, one wins.
        if not tokens.rotate(token.id):
            raise InvalidGrantError("The refresh token has already been used.")


class S256Required(CodeChallenge):
    """PKCE with S256 for every client, confidential or not (RFC 9700 §2.1.1)."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ("S256",)

    def validate_code_challenge(self, grant, redirect_uri) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send 'code_challenge'.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result=None) -> None:
        # Every code carries a challenge, so a token request without its verifier cannot prove
        # it holds the grant: RFC 7636 §4.6 answers a failed proof with invalid_grant, and so
        # does the FAPI 2.0 suite for a missing one.
        if not grant.request.payload.data.get("code_verifier"):
            raise InvalidGrantError("The code_verifier is missing.")
        super().validate_code_verifier(grant, result)


class OpenIDCode(oidc_grants.OpenIDCode):
    """ID tokens: the client's algorithm, the broker's current key, only consented claims."""

    def __init__(self) -> None:
        super().__init__(require_nonce=True)

    def exists_nonce(self, nonce: str, request) -> bool:
        return codes.nonce_seen(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client):
        return keys.cache().signing_key(client.id_token_signed_response_alg)

    def get_encode_header(self, client) -> dict:
        key = self.resolve_client_private_key(client)
        return {"alg": client.id_token_signed_response_alg, "kid": key.kid, "typ": "JWT"}

    def get_client_claims(self, client) -> dict:
        config = current_app.config
        return {
            "iss": config["ISSUER"],
            "aud": client.client_id,
            "exp": now() + config["ID_TOKEN_LIFETIME"],
        }

    def get_authorization_code_claims(self, authorization_code: StoredCode) -> dict:
        return {
            **super().get_authorization_code_claims(authorization_code),
            "sid": authorization_code.session_sid,
        }

    def generate_user_info(self, user: Release, scope: str) -> dict:
        return {
            "sub": accounts.subject_for(user.person, user.client),
            **claims.claim_values(user.person, user.claims),
        }

    def process_token(self, grant, response):
        token = super().process_token(grant, response)
        release: Release = grant.request.user
        client = release.client
        if "id_token" in token and client.id_token_encrypted_response_alg:
            token["id_token"] = _encrypt_id_token(token["id_token"], client)
        if "id_token" in token:
            release_log.append(
                person_id=release.person.id,
                client_id=release.client.client_id,
                client_name=release.client.name,
                channel="id_token",
                claims=list(release.claims),
                method=release.method,
                acr=release.acr,
            )
        return token


def _encrypt_id_token(id_token: str, client) -> str:
    alg, enc = client.id_token_encrypted_response_alg, client.id_token_encrypted_response_enc
    try:
        return client_keys.encrypt_to(client, id_token, alg, enc)
    except client_keys.ClientKeysUnavailable as error:
        # Nothing may leave unencrypted for a client that asked for encryption.
        raise InvalidClientError(description=str(error)) from None
