"""People and their external identities: who a method's answer names, what a release is about."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .fast import FastStatement
from .models import PERSON_COLUMNS
from .models import ExternalIdentity
from .models import Person
from .models import PersonFacts
from .transaction import connection
from .transaction import db

_FACTS: FastStatement[Any] = FastStatement(
    sa.select(Person.id.label("person_id"), *PERSON_COLUMNS).where(
        Person.id == sa.bindparam("person_id")
    )
)


def facts(person_id: int) -> PersonFacts | None:
    """A person's release facts, read-only."""
    found = _FACTS.first(connection(), {"person_id": person_id})
    return PersonFacts.of(found) if found is not None else None


def identity(method: str, issuer: str, subject: str) -> ExternalIdentity | None:
    """The identity a method's answer names, if it was seen before."""
    return db.session.execute(
        sa.select(ExternalIdentity).filter_by(method=method, issuer=issuer, subject=subject)
    ).scalar_one_or_none()


def by_national_id(national_id: str) -> Person | None:
    """The person with this national identity number, if any."""
    return db.session.execute(
        sa.select(Person).filter_by(national_id=national_id)
    ).scalar_one_or_none()
