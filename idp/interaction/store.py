"""Interactions in the shared database, bound to the browser that started them.

The uid travels in URLs; the binding cookie (scoped to the interaction's path, as
node-oidc-provider does) keeps another browser that learns the uid from finishing the login.
"""

from __future__ import annotations

from flask import Response
from flask import current_app
from flask import request
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

COOKIE = "silta_interaction"
_FOREIGN = _l(
    "This login was started in another browser. Return to the service and start again here."
)


def path(uid: str) -> str:
    return f"/interaction/{uid}"


def create(kind: str, client_id: str | None, params: dict, response_hook) -> Interaction:
    """Store a new interaction; ``response_hook(set_cookie)`` binds it to the browser."""
    binding = new_secret(24)
    ia = Interaction(
        uid=new_secret(24),
        kind=kind,
        client_id=client_id,
        params=params,
        browser_hash=digest(binding),
        expires_at=now() + current_app.config["INTERACTION_LIFETIME"],
    )
    db.session.add(ia)

    def bind(response: Response) -> Response:
        response.set_cookie(
            COOKIE,
            binding,
            path=path(ia.uid),
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
    if ia is None or ia.finished_at is not None or ia.expires_at <= now():
        raise InteractionExpired()
    if not matches(request.cookies.get(COOKIE, ""), ia.browser_hash):
        raise PageError(status=403, code="interaction_foreign", message=_FOREIGN)
    return ia


def claim_finish(ia: Interaction) -> bool:
    """Mark finished exactly once, even with two tabs or two nodes racing; the caller commits."""
    return interactions.claim_finish(ia.uid)
