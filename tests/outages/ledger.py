"""After an outage: what the broker stored, against the logins the citizens saw complete.

A completed login leaves exactly one login session, one spent code, one token and one ID-token
release in the person's log; a refused one leaves none of them, and no person or identity that
nothing points to. The release log's hash chains still verify (`silta audit verify`'s check).
"""

from __future__ import annotations

import sqlalchemy as sa

from idp.audit import release_log
from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import ExternalIdentity
from idp.storage.models import Interaction
from idp.storage.models import LoginSession
from idp.storage.models import Person
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token

CARD, BANKS = "id-card", "bank-%"


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def check_logins_stored(app, method: str, completed: int) -> None:
    """Exactly one session, spent code, token and release per completed login of `method`."""
    with app.app_context():
        assert _count(LoginSession, LoginSession.method.like(method)) == completed
        codes = db.session.scalars(
            sa.select(AuthorizationCode.used_at).where(AuthorizationCode.method.like(method))
        ).all()
        assert len(codes) == completed and None not in codes, codes
        assert _count(Token, Token.method.like(method)) == completed
        released = _count(
            ReleaseLogEntry,
            ReleaseLogEntry.method.like(method),
            ReleaseLogEntry.channel == "id_token",
        )
        assert released == completed


def check_card_holders(app, eids: set[str]) -> None:
    """The card identities are exactly those of the holders who logged in."""
    with app.app_context():
        subjects = db.session.scalars(
            sa.select(ExternalIdentity.subject).where(ExternalIdentity.method == CARD)
        ).all()
        assert sorted(subjects) == sorted(eids)


def check_nothing_half_made(app) -> None:
    """No person without an identity, no login pointing at a missing session; chains verify."""
    with app.app_context():
        orphans = _count(Person, ~sa.exists().where(ExternalIdentity.person_id == Person.id))
        assert orphans == 0
        dangling = _count(
            Interaction,
            Interaction.session_sid.is_not(None),
            ~sa.exists().where(LoginSession.sid == Interaction.session_sid),
        )
        assert dangling == 0
        chains = release_log.verify_all()
        assert chains and all(chain.ok for chain in chains), chains
