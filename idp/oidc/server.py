"""Authlib's authorization server, bound to the broker's storage."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from authlib.integrations.flask_oauth2 import AuthorizationServer as _FlaskAuthorizationServer
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Payload
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Request
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InsecureTransportError
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.hooks import hooked
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from flask import current_app
from flask import request as flask_request

from ..audit import events
from ..hashing import digest
from ..hashing import new_secret
from ..storage import clients as stored_clients
from ..storage import tokens
from ..storage.models import Client
from ..storage.models import LiveSession
from ..storage.models import PersonFacts
from ..storage.models import StoredCode
from ..storage.models import Token
from ..storage.models import now


@dataclass(frozen=True)
class LoginDecision:
    """What the citizen's login and consent decided; carried from the screens into the code."""

    person: PersonFacts
    session: LiveSession
    claims: tuple[str, ...]
    consent_id: int | None


@dataclass(frozen=True)
class Release:
    """The identity a grant releases to one client: Authlib's ``user`` in the token grants."""

    person: PersonFacts
    client: Client
    claims: tuple[str, ...]
    method: str
    acr: str
    amr: tuple[str, ...]
    auth_time: int
    session_sid: str
    consent_id: int | None
    code_id: int | None = None

    @classmethod
    def of_code(cls, code: StoredCode, client: Client) -> Release:
        """What a redeemed code releases: its consented claims, about its person."""
        return cls._of(code, client, code.person, tuple(code.claims), code_id=code.id)

    @classmethod
    def of_token(
        cls, token: Token, client: Client, person: PersonFacts, claims: tuple[str, ...]
    ) -> Release:
        """What a refresh token releases: the claims of its (maybe narrowed) scope.

        A token keeps the code it descends from, so replaying that code revokes it too:
        "all tokens previously issued based on that authorization code" (RFC 6749 §4.1.2).
        """
        return cls._of(token, client, person, claims, code_id=token.code_id)

    @classmethod
    def _of(
        cls,
        row: StoredCode | Token,
        client: Client,
        person: PersonFacts,
        claims: tuple[str, ...],
        code_id: int | None,
    ) -> Release:
        return cls(
            person=person,
            client=client,
            claims=claims,
            method=row.method,
            acr=row.acr,
            amr=tuple(row.amr),
            auth_time=row.auth_time,
            session_sid=row.session_sid,
            consent_id=row.consent_id,
            code_id=code_id,
        )


def new_token(*_args, **_kwargs) -> str:
    """An access or refresh token: 256 bits from the OS's CSPRNG in one call (RFC 6749 §10.10).

    Authlib's default generator draws each of its 42 characters separately.
    """
    return new_secret(32)


class SiltaRequest(FlaskOAuth2Request):
    """Authlib's (1.9.9) request over Flask's, built from the request object itself (not its
    context proxy, which every attribute read would go through) and without Flask's full URL:
    Authlib reads the URL only to check the transport (RFC 6749 §3.1 and §3.2 require TLS),
    which depends on the scheme and host alone, so that check runs once per origin, not per
    request. It sets the fields of ``OAuth2Request.__init__`` and ``FlaskOAuth2Request.__init__``
    itself: tests/unit/test_framework_overrides.py pins both and fails when they change.
    """

    decision: LoginDecision | None = None
    dpop_jkt: str | None = None  # the token request's DPoP key (RFC 9449 §6), once checked

    def __init__(self, request) -> None:
        request = request._get_current_object()
        origin = f"{request.scheme}://{request.host}/"
        _check_transport(origin)
        # OAuth2Request.__init__'s fields (Authlib 1.9.9), less its per-request URL parse.
        self.method = request.method
        self.uri = origin
        self.headers = request.headers
        self._body = None
        self._request = request
        self.payload = FlaskOAuth2Payload(request)
        self.client = self.auth_method = self.user = None
        self.authorization_code = self.refresh_token = self.credential = self._scope = None


@functools.lru_cache(maxsize=64)
def _check_transport(origin: str) -> None:
    """Authlib's transport rule for one origin: https, or http on a loopback address."""
    InsecureTransportError.check(origin)


class StoredRequest(OAuth2Request):
    """An authorization request replayed from stored parameters (an interaction, a push)."""

    decision: LoginDecision | None = None
    replayed = True  # its request object or pushed request was unpacked when it arrived

    def __init__(self, params: dict):
        super().__init__("GET", current_app.config["ISSUER"] + "/authorize", headers={})
        self.payload = BasicOAuth2Payload(params)
        self._params = params

    @property
    def args(self) -> dict:
        return self._params

    @property
    def form(self) -> dict:
        return {}


class AuthorizationServer(_FlaskAuthorizationServer):
    def create_oauth2_request(self, request) -> OAuth2Request:
        if isinstance(request, OAuth2Request):
            return request
        return SiltaRequest(flask_request)

    def query_client(self, client_id: str) -> Client | None:
        if not isinstance(client_id, str) or len(client_id) > 100:
            return None
        return stored_clients.load(client_id)

    @hooked
    def create_authorization_response(self, request=None, grant_user=None, grant=None):
        """Answer the request of ``grant``, which ``get_consent_grant`` validated.

        Authlib's version (1.9.9, pinned by tests/unit/test_framework_overrides.py) validates
        the request a second time; every rule already ran on this grant (`grant.redirect_uri` is
        what that validation set), so the rules, the nonce replay query among them, run once per
        request. The rest is Authlib's: the answer or the error with the request's state, then
        the `after_authorization_response` hook.
        """
        if grant is None:
            raise TypeError("create_authorization_response needs the validated grant")
        try:
            redirect_uri = grant.redirect_uri or grant.validate_authorization_request()
            response = self.handle_response(
                *grant.create_authorization_response(redirect_uri, grant_user)
            )
        except OAuth2Error as error:
            error.state = grant.request.payload.state
            response = self.handle_error_response(grant.request, error)
        grant.execute_hook("after_authorization_response", response)
        return response

    def save_token(self, token: dict, request: OAuth2Request) -> None:
        """Store the token's hashes with what it releases; the token view commits."""
        release: Release = request.user
        lifetime = current_app.config
        issued = now()
        refresh = token.get("refresh_token")
        parent: Token | None = request.refresh_token  # set by Authlib on a refresh grant
        # A refresh continues its code's family and keeps the family's absolute expiry, so
        # rotation never stretches a login beyond REFRESH_TOKEN_LIFETIME (RFC 9700 §4.14.2).
        family = parent.family_id if parent is not None else new_secret(16)
        refresh_expires = (
            parent.refresh_expires_at
            if parent is not None
            else issued + lifetime["REFRESH_TOKEN_LIFETIME"]
        )
        events.emit_on_success(
            events.TOKEN_ISSUED,
            client_id=release.client.client_id,
            person_id=release.person.id,
            grant_type=request.payload.grant_type,
            refresh_token=bool(refresh),
        )
        tokens.insert(
            dict(
                client_id=release.client.client_id,
                person_id=release.person.id,
                session_sid=release.session_sid,
                code_id=release.code_id,
                consent_id=release.consent_id,
                scope=token["scope"],
                claims=list(release.claims),
                method=release.method,
                acr=release.acr,
                amr=list(release.amr),
                auth_time=release.auth_time,
                access_token_hash=digest(token["access_token"]),
                refresh_token_hash=digest(refresh) if refresh else None,
                issued_at=issued,
                access_expires_at=issued + token["expires_in"],
                refresh_expires_at=refresh_expires if refresh else None,
                revoked_at=None,
                family_id=family,
                rotated_at=None,
                dpop_jkt=request.dpop_jkt,
            ),
        )


authorization_server = AuthorizationServer()
