"""The authorization request's rules that Authlib leaves to the provider: ordered, named checks.

Authlib validates the client, the redirect URI, the response type and the scope's shape; these
run after it (``after_validate_authorization_request_payload``), each a small pure function of
the request's parameters that says whether the request breaks it, with the OAuth error to
answer (STYLE rule 6, as in interaction/policy.py). The first that breaks is the answer; tested
by a table in tests/unit/test_request_rules.py.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError
from authlib.oauth2.rfc6749 import InvalidScopeError

from . import claims
from . import dpop
from .id_token_hint import IdTokenHintError
from .id_token_hint import verify_id_token_hint

RESPONSE_MODES = ("query", "form_post")
PROMPTS = {"none", "login", "consent", "select_account"}
# Bounded before anything is stored (codes keep the nonce in 255 characters).
PARAMETER_LIMITS = {"nonce": 255, "state": 1024, "login_hint": 255, "ui_locales": 100}


@dataclass(frozen=True)
class Request:
    """What the rules read: the scope as Authlib validated it, and the parameters (each sent
    once: requests.RequestObjects refuses a parameter sent twice, RFC 6749 §3.1)."""

    scope: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class Rule:
    name: str
    broken: Callable[[Request], object]  # true when the request breaks the rule
    error: type[OAuth2Error]
    # What the error says: a sentence, or one made from the request (only once it broke).
    description: str | Callable[[Request], str]

    def answer(self, request: Request) -> OAuth2Error:
        """A new error each time: Authlib writes the request's state and redirect URI into it."""
        said = self.description
        return self.error(said if isinstance(said, str) else said(request))


def _too_long(request: Request) -> str | None:
    for name, limit in PARAMETER_LIMITS.items():
        value = request.values.get(name)
        if value is not None and len(value) > limit:
            return f"'{name}' is longer than {limit} characters."
    return None


def _claims_problem(request: Request) -> str | None:
    # OIDC Core §5.5: a JSON object of `userinfo` and `id_token` members.
    try:
        claims.parse_claims_parameter(request.values.get("claims"))
    except claims.ClaimsParameterError as error:
        return str(error)
    return None


def _bad_max_age(request: Request) -> bool:
    max_age = request.values.get("max_age")
    return max_age is not None and not (max_age.isdigit() and len(max_age) < 10)


def _bad_thumbprint(request: Request) -> bool:
    value = request.values.get("dpop_jkt")
    return value is not None and not dpop.THUMBPRINT.match(value)


RULES: tuple[Rule, ...] = (
    # This provider serves OpenID Connect only (OIDC Core §3.1.2.1: scope includes `openid`).
    Rule(
        "openid_scope",
        lambda r: "openid" not in r.scope.split(),
        InvalidScopeError,
        "This provider serves OpenID Connect: include 'openid'.",
    ),
    # OAuth 2.0 Multiple Response Type Encoding Practices, Form Post Response Mode.
    Rule(
        "response_mode",
        lambda r: (r.values.get("response_mode") or "query") not in RESPONSE_MODES,
        InvalidRequestError,
        "'response_mode' must be query or form_post.",
    ),
    Rule(
        "parameter_lengths",
        lambda r: _too_long(r) is not None,
        InvalidRequestError,
        lambda r: _too_long(r) or "",
    ),
    Rule(  # OIDC Core §3.1.2.1 prompt
        "prompt",
        lambda r: set((r.values.get("prompt") or "").split()) - PROMPTS,
        InvalidRequestError,
        "Unknown 'prompt' value.",
    ),
    Rule(  # OIDC Core §3.1.2.1 max_age: seconds, a non-negative integer
        "max_age",
        _bad_max_age,
        InvalidRequestError,
        "'max_age' must be a non-negative whole number of seconds.",
    ),
    Rule(  # RFC 9449 §10: the JWK SHA-256 thumbprint (RFC 7638) of the client's DPoP key
        "dpop_jkt",
        _bad_thumbprint,
        InvalidRequestError,
        "'dpop_jkt' must be a base64url SHA-256 JWK thumbprint.",
    ),
    Rule(
        "claims_parameter",
        lambda r: "claims" in r.values and _claims_problem(r) is not None,
        InvalidRequestError,
        lambda r: _claims_problem(r) or "",
    ),
)


def first_error(request: Request) -> tuple[Rule, OAuth2Error] | None:
    """The first rule the request breaks, with the error to answer; None when it meets all."""
    for rule in RULES:
        if rule.broken(request):
            return rule, rule.answer(request)
    return None


class AuthorizationRequestRules:
    """Authlib's grant extension that runs the rules, then checks any `id_token_hint`."""

    def __call__(self, grant: Any) -> None:
        grant.register_hook("after_validate_authorization_request_payload", self.check)

    def check(self, grant: Any, redirect_uri: str) -> None:
        oauth_request = grant.request
        payload = oauth_request.payload
        broken = first_error(Request(oauth_request.scope, payload.data))
        if broken is not None:
            raise broken[1]
        hint = payload.data.get("id_token_hint")
        if hint:
            # OIDC Core §3.1.2.1 id_token_hint: one this provider issued, for this client. Not a
            # pure rule: the verified claims are kept on the request for the policy's check.
            try:
                client = oauth_request.client
                oauth_request.id_token_hint_claims = verify_id_token_hint(hint, client)
            except IdTokenHintError as error:
                raise InvalidRequestError(str(error)) from None
