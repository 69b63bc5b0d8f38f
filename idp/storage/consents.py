"""Consent grants: the remembered one /authorize reads on every single sign-on, and the rows."""

from __future__ import annotations

import sqlalchemy as sa

from .fast import FastStatement
from .models import ConsentGrant
from .models import RememberedConsent
from .transaction import connection
from .transaction import db

# A plain row, by a statement built once per process.
_REMEMBERED = FastStatement(
    sa.select(ConsentGrant.id, ConsentGrant.requested, ConsentGrant.granted)
    .where(
        ConsentGrant.person_id == sa.bindparam("person_id"),
        ConsentGrant.client_id == sa.bindparam("client_id"),
        ConsentGrant.revoked_at.is_(None),
    )
    .order_by(ConsentGrant.id.desc())
    .limit(1),
    shape=RememberedConsent,
)


def remembered(person_id: int, client_id: str) -> RememberedConsent | None:
    """The active grant's id, requested and granted claims, or None; read-only."""
    return _REMEMBERED.first(connection(), {"person_id": person_id, "client_id": client_id})


def active(person_id: int, client_id: str) -> ConsentGrant | None:
    """The active grant's row, to supersede it."""
    return db.session.execute(
        sa.select(ConsentGrant)
        .filter_by(person_id=person_id, client_id=client_id, revoked_at=None)
        .order_by(ConsentGrant.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def of_person(person_id: int) -> list[ConsentGrant]:
    """A person's active grants, newest first."""
    return list(
        db.session.execute(
            sa.select(ConsentGrant)
            .filter_by(person_id=person_id, revoked_at=None)
            .order_by(ConsentGrant.created_at.desc())
        ).scalars()
    )
