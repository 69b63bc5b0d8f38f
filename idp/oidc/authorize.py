"""The authorization endpoint and its resumption (ARCHITECTURE §3 steps 1–2, 6).

`/authorize` never renders a login form: Authlib validates the request; a request the current
session and remembered consent already satisfy gets its code at once; otherwise the request is
stored as an interaction, with the prompt the policy asks (interaction/prompt.py), and the
browser goes to the screens. The screens send it back to `/authorize/resume/<uid>` (as
node-oidc-provider resumes at `/auth/:uid`) when they did what was asked: the policy runs again,
and the stored request is either validated again and answered, or the browser is sent to the
screens with the next prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import AccessDeniedError
from authlib.oidc.core.errors import ConsentRequiredError
from authlib.oidc.core.errors import LoginRequiredError
from flask import after_this_request
from flask import redirect
from flask import request as flask_request
from werkzeug.wrappers import Response

from .. import accounts
from .. import assurance
from .. import sessions
from ..audit import events
from ..errors import InteractionExpired
from ..errors import InvalidClientRequest
from ..interaction import policy
from ..interaction import store
from ..interaction.prompt import Prompt
from ..storage import consents
from ..storage import transaction
from ..storage.models import Client
from ..storage.models import Interaction
from ..storage.models import LiveSession
from ..storage.models import PersonFacts
from ..storage.models import RememberedConsent
from ..storage.models import now
from . import claims
from .id_token_hint import IdTokenHintError
from .id_token_hint import verify_id_token_hint
from .responses import deliver
from .server import LoginDecision
from .server import StoredRequest
from .server import authorization_server as server

AUTHORIZE = "authorize"  # the kind of interaction this endpoint stores


def begin() -> Response:
    """GET or POST /authorize (OIDC Core §3.1.2.1)."""
    session = sessions.current()
    person = sessions.current_person()
    try:
        grant = server.get_consent_grant(end_user=person)
    except OAuth2Error as error:
        return _error_response(error, flask_request.values.get("response_mode"))
    oauth_request = grant.request
    params = dict(oauth_request.payload.data.items())
    params["scope"] = oauth_request.scope
    # The rules already verified any id_token_hint for this request: reuse their answer.
    hint = getattr(oauth_request, "id_token_hint_claims", None)
    situation = _Situation.of(params, oauth_request.client, session, person, None, hint)
    check = policy.evaluate(situation.policy_context())
    if check is None:
        return _issue_code(grant, situation)
    if "none" in params.get("prompt", "").split():
        # OIDC Core §3.1.2.6: prompt=none and the citizen would have to act.
        error_cls = LoginRequiredError if check.prompt == policy.LOGIN else ConsentRequiredError
        refused = error_cls(redirect_uri=grant.redirect_uri, state=params.get("state"))
        events.emit(events.AUTHORIZATION_REJECTED, client_id=params["client_id"], reason=check.name)
        return _error_response(refused, params.get("response_mode"))
    ia = store.create(
        AUTHORIZE,
        params["client_id"],
        params,
        after_this_request,
        resume="oidc.resume",
        prompt=situation.prompt(check),
    )
    transaction.commit()
    return redirect(store.path(ia.uid), 303)


def resume(uid: str) -> Response:
    """GET /authorize/resume/<uid>: the screens hand the interaction back to the protocol."""
    ia = store.load(uid)
    if ia.kind != AUTHORIZE:
        raise InteractionExpired()  # another kind resumes at its own route
    if ia.denied is not None:
        return _deny(ia, ia.denied)
    session = sessions.current()
    person = sessions.current_person()
    client = server.query_client(ia.client_id or "")
    if client is None:  # removed meanwhile: the stored request's validation says so
        return _finish(ia, None)
    situation = _Situation.of(ia.params, client, session, person, ia)
    check = policy.evaluate(situation.policy_context())
    if check is None:
        return _finish(ia, situation)
    screen = store.ask(ia, situation.prompt(check))
    transaction.commit()
    return redirect(screen, 303)


def _finish(ia: Interaction, situation: _Situation | None) -> Response:
    """Answer the stored request with a code; the interaction is used up."""
    person = sessions.current_person()
    stored = StoredRequest(ia.params)
    try:
        grant = server.get_consent_grant(request=stored, end_user=person)
    except OAuth2Error as error:
        return _error_response(error, ia.params.get("response_mode"))
    if not store.claim_finish(ia):
        raise InteractionExpired()
    if situation is None:
        client = grant.request.client
        situation = _Situation.of(ia.params, client, sessions.current(), person, ia)
    return _issue_code(grant, situation)


def _deny(ia: Interaction, reason: str) -> Response:
    """The citizen declined: the service receives access_denied (RFC 6749 §4.1.2.1)."""
    stored = StoredRequest(ia.params)
    try:
        grant = server.get_consent_grant(request=stored, end_user=None)
    except OAuth2Error as error:
        return _error_response(error, ia.params.get("response_mode"))
    if not store.claim_finish(ia):
        raise InteractionExpired()
    transaction.commit()
    events.emit(events.AUTHORIZATION_REJECTED, client_id=ia.client_id, reason=reason)
    denied = AccessDeniedError(redirect_uri=grant.redirect_uri, state=ia.params.get("state"))
    return _error_response(denied, ia.params.get("response_mode"))


def _requested(params: dict[str, Any], client: Client) -> claims.ClaimsRequest:
    return claims.requested_claims(
        params["scope"], claims.parse_claims_parameter(params.get("claims")), client.allowed_claims
    )


def _acr_floor(params: dict[str, Any], client: Client, asked: claims.ClaimsRequest) -> int:
    acr_values = " ".join([params.get("acr_values", ""), *asked.acr_values])
    return assurance.requested_floor(acr_values, client.required_acr)


@dataclass(frozen=True)
class _Situation:
    """Everything the policy and the code need to know about one request, read once."""

    params: dict[str, Any]
    client: Client
    session: LiveSession | None
    person: PersonFacts | None
    interaction: Interaction | None
    asked: claims.ClaimsRequest
    acr_floor: int
    grant: RememberedConsent | None
    hinted_sub: str | None  # the id_token_hint's subject; "" when it no longer verifies

    @classmethod
    def of(
        cls,
        params: dict[str, Any],
        client: Client,
        session: LiveSession | None,
        person: PersonFacts | None,
        ia: Interaction | None,
        hint_claims: dict[str, Any] | None = None,
    ) -> _Situation:
        grant = consents.remembered(person.id, client.client_id) if person else None
        hinted = (
            hint_claims.get("sub")
            if hint_claims is not None
            else _hinted_subject(params, client)
            if session is not None
            else None
        )
        asked = _requested(params, client)
        floor = _acr_floor(params, client, asked)
        return cls(params, client, session, person, ia, asked, floor, grant, hinted)

    def policy_context(self) -> policy.PolicyContext:
        session, person, ia = self.session, self.person, self.interaction
        facts = None
        if session is not None and person is not None:
            hinted_sub = self.hinted_sub
            facts = policy.SessionFacts(
                auth_time=session.auth_time,
                acr_level=assurance.level(session.acr),
                authenticated_here=ia is not None and ia.session_sid == session.sid,
                matches_hint=hinted_sub is None
                or hinted_sub == accounts.subject_for(person, self.client),
            )
        return policy.PolicyContext(
            now=now(),
            prompt=frozenset(self.params.get("prompt", "").split()),
            max_age=int(self.params["max_age"]) if self.params.get("max_age") else None,
            acr_floor=self.acr_floor,
            session=facts,
            requested_claims=self.asked.all,
            granted_before=frozenset(self.grant.requested) if self.grant else None,
            consented_here=ia is not None and ia.consent is not None,
        )

    def prompt(self, check: policy.Check) -> Prompt:
        """What the screens are asked, with what they show: the level, the claims."""
        return Prompt(
            check.prompt,
            check.name,
            self.acr_floor,
            tuple(sorted(self.asked.essential)),
            tuple(sorted(self.asked.voluntary)),
        )

    def decision(self) -> LoginDecision:
        """The claims to release: decided in this interaction, or by the remembered grant."""
        if self.session is None or self.person is None:
            raise RuntimeError("a code needs a login session: the policy asks for one first")
        ia = self.interaction
        if ia is not None and ia.consent is not None:
            released, consent_id = ia.consent["granted"], ia.consent.get("grant_id")
        elif self.grant is not None:
            released, consent_id = sorted(self.asked.all & set(self.grant.granted)), self.grant.id
        else:
            released, consent_id = [], None
        return LoginDecision(
            person=self.person, session=self.session, claims=tuple(released), consent_id=consent_id
        )


def _hinted_subject(params: dict, client) -> str | None:
    hint = params.get("id_token_hint")
    if not hint:
        return None
    try:
        return verify_id_token_hint(hint, client).get("sub")
    except IdTokenHintError:
        return ""  # no longer verifiable (keys rotated mid-login): ask the citizen to log in


def _issue_code(grant, situation: _Situation) -> Response:
    grant.request.decision = situation.decision()
    response = server.create_authorization_response(
        request=grant.request, grant_user=situation.person, grant=grant
    )
    transaction.commit()
    return deliver(response, grant.redirect_uri, situation.params.get("response_mode"))


def _error_response(error: OAuth2Error, response_mode: str | None) -> Response:
    transaction.rollback()
    if not error.redirect_uri:
        # RFC 6749 §4.1.2.1: without a validated redirect URI, tell the citizen, not a stranger.
        raise InvalidClientRequest(error.description or error.error, code=error.error)
    response = server.handle_error_response(None, error)
    return deliver(
        response,
        error.redirect_uri,
        response_mode if response_mode in ("query", "form_post") else None,
    )
