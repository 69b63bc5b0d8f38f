"""Citizens and the identities methods know them by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ..transaction import Model
from .common import now


class Person(Model):
    """A citizen, whatever methods they log in with."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(43), unique=True)  # random; input of every `sub`
    national_id: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    given_name: Mapped[str | None] = mapped_column(sa.String(200))
    family_name: Mapped[str | None] = mapped_column(sa.String(200))
    birthdate: Mapped[str | None] = mapped_column(sa.String(10))  # ISO 8601 YYYY-MM-DD
    created_at: Mapped[int] = mapped_column(default=now)


class ExternalIdentity(Model):
    """Who a method says the citizen is: (method, issuer, subject) → person."""

    __table_args__ = (sa.UniqueConstraint("method", "issuer", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(sa.String(40))
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)


# The person's columns a release reads, in the order the hot path's joined reads select them.
PERSON_COLUMNS = (
    Person.uid,
    Person.national_id,
    Person.given_name,
    Person.family_name,
    Person.birthdate,
)


@dataclass(frozen=True)
class PersonFacts:
    """The person a release is about, read-only: what `sub` and the claims are made from."""

    id: int
    uid: str
    national_id: str | None
    given_name: str | None
    family_name: str | None
    birthdate: str | None

    @classmethod
    def of(cls, row: Any) -> PersonFacts:
        """From a joined read: ``person_id`` and the ``PERSON_COLUMNS``."""
        return cls(
            row.person_id, row.uid, row.national_id, row.given_name, row.family_name, row.birthdate
        )

    @classmethod
    def of_row(cls, person: Person) -> PersonFacts:
        """From the ORM row a request just changed (a login)."""
        return cls(
            person.id,
            person.uid,
            person.national_id,
            person.given_name,
            person.family_name,
            person.birthdate,
        )
