"""Interactions in the shared database, bound to the browser that started them.

The uid travels in URLs; the binding cookie (scoped to the interaction's path and to the route
that resumes it, as node-oidc-provider scopes its two) keeps another browser that learns the
uid from finishing the login.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response
from flask import current_app
from flask import request
from flask import url_for
from flask_babel import lazy_gettext as _l

from ..errors import InteractionExpired
from ..errors import PageError
from ..extensions import db
from ..hashing import digest
from ..hashing import matches
from ..hashing import new_secret
from ..storage import interactions
from ..storage.models import Interaction
from ..storage.models import now
from . import policy
from .prompt import Prompt

COOKIE = "silta_interaction"
_FOREIGN = _l(
    "This login was started in another browser. Return to the service and start again here."
)


def path(uid: str) -> str:
    return f"/interaction/{uid}"


def create(
    kind: str,
    client_id: str | None,
    params: dict[str, object],
    response_hook: Callable[[Callable[[Response], Response]], object],
    *,
    resume: str,
    prompt: Prompt,
) -> Interaction:
    """Store a new interaction that the ``resume`` endpoint takes back when the screens are
    done; ``response_hook(set_cookie)`` binds it to the browser."""
    binding, uid = new_secret(24), new_secret(24)
    ia = Interaction(
        uid=uid,
        kind=kind,
        client_id=client_id,
        params=params,
        browser_hash=digest(binding),
        prompt=prompt.stored(),
        return_to=url_for(resume, uid=uid),
        expires_at=now() + current_app.config["INTERACTION_LIFETIME"],
    )
    db.session.add(ia)

    def bind(response: Response) -> Response:
        for scope in (path(uid), ia.return_to):
            response.set_cookie(
                COOKIE,
                binding,
                path=scope,
                httponly=True,
                samesite="Lax",
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                max_age=current_app.config["INTERACTION_LIFETIME"],
            )
        return response

    response_hook(bind)
    return ia


def load(uid: str) -> Interaction:
    """The live interaction for this browser, or a readable error page."""
    ia = db.session.get(Interaction, uid)
    if ia is None or ia.finished_at is not None or ia.expires_at <= now() or _before_0008(ia):
        raise InteractionExpired()
    if not matches(request.cookies.get(COOKIE, ""), ia.browser_hash):
        raise PageError(status=403, code="interaction_foreign", message=_FOREIGN)
    return ia


def _before_0008(ia: Interaction) -> bool:
    # An interaction stored before the resume route (migration 0008) has no prompt and no
    # `return_to`: it reads as expired, and the citizen starts again at the service.
    return ia.prompt is None or not ia.return_to


def prompt(ia: Interaction) -> Prompt:
    """What the protocol last asked of the screens."""
    return Prompt.read(ia.prompt or {})


def ask(ia: Interaction, asked: Prompt) -> str:
    """Ask the screens for ``asked``; the screen's path. The caller commits."""
    ia.prompt = asked.stored()
    return f"{path(ia.uid)}/consent" if asked.name == policy.CONSENT else path(ia.uid)


def hand_back(ia: Interaction) -> str:
    """The screens did what was asked, or the citizen changed what the protocol knew (logged
    out to switch user): the protocol decides what comes next. Where the browser goes now
    (``return_to``); the caller commits."""
    ia.prompt = prompt(ia).handed_back().stored()
    return return_to(ia)


def return_to(ia: Interaction) -> str:
    """The route that resumes whoever started the interaction (load() refuses one without)."""
    if not ia.return_to:
        raise InteractionExpired()
    return ia.return_to


def deny(ia: Interaction, reason: str) -> str:
    """The citizen declined: a fact the protocol answers as `access_denied`."""
    ia.denied = reason
    return hand_back(ia)


def claim_finish(ia: Interaction) -> bool:
    """Mark finished exactly once, even with two tabs or two nodes racing; the caller commits."""
    return interactions.claim_finish(ia.uid)
