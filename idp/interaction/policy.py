"""The login and consent policy: ordered, named checks (STYLE rule 6).

Each check is a small pure function of a ``PolicyContext`` that answers True when its prompt is
needed. ``evaluate`` returns the first check that fires, so the order is the policy. The names
are what audit events, tests and the method-choice page speak of.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

LOGIN = "login"
CONSENT = "consent"


@dataclass(frozen=True)
class SessionFacts:
    auth_time: int
    acr_level: int
    authenticated_here: bool  # the login happened during this very interaction
    matches_hint: bool = True  # the session's person is the id_token_hint's subject


@dataclass(frozen=True)
class PolicyContext:
    now: int
    prompt: frozenset[str]
    max_age: int | None
    acr_floor: int
    session: SessionFacts | None
    requested_claims: frozenset[str]
    granted_before: frozenset[str] | None  # claims asked in a remembered grant; None: no grant
    consented_here: bool = False


@dataclass(frozen=True)
class Check:
    name: str
    prompt: str
    fires: Callable[[PolicyContext], bool]


def _session(ctx: PolicyContext) -> SessionFacts:
    assert ctx.session is not None  # every login check after no_session may rely on it
    return ctx.session


CHECKS: tuple[Check, ...] = (
    Check("no_session", LOGIN, lambda c: c.session is None),
    # OIDC Core §3.1.2.1: prompt=login asks for re-authentication even with a live session.
    Check(
        "login_prompt", LOGIN, lambda c: "login" in c.prompt and not _session(c).authenticated_here
    ),
    # §3.1.2.1 max_age: the session's auth_time must be recent enough. The same section (errata
    # set 2): "max_age=0 is equivalent to prompt=login", even within the second of the login.
    Check(
        "max_age",
        LOGIN,
        lambda c: (
            c.max_age is not None
            and not _session(c).authenticated_here
            and (c.max_age == 0 or c.now - _session(c).auth_time > c.max_age)
        ),
    ),
    Check("acr_not_met", LOGIN, lambda c: _session(c).acr_level < c.acr_floor),
    # §3.1.2.1 id_token_hint: the citizen must be the one the service names.
    Check("id_token_hint", LOGIN, lambda c: not _session(c).matches_hint),
    Check("consent_prompt", CONSENT, lambda c: "consent" in c.prompt and not c.consented_here),
    Check(
        "consent_missing",
        CONSENT,
        lambda c: not c.consented_here and c.granted_before is None and bool(c.requested_claims),
    ),
    Check(
        "claims_missing",
        CONSENT,
        lambda c: (
            not c.consented_here
            and c.granted_before is not None
            and not c.requested_claims <= c.granted_before
        ),
    ),
)


def evaluate(ctx: PolicyContext) -> Check | None:
    """The first check that fires, or None when the login may complete without the citizen."""
    return next((check for check in CHECKS if check.fires(ctx)), None)
