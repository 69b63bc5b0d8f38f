"""Access and refresh tokens: issued, read for /userinfo, rotated, revoked."""

from __future__ import annotations

from typing import Any
from typing import cast

import sqlalchemy as sa

from .fast import FastStatement
from .models import PERSON_COLUMNS
from .models import AccessToken
from .models import Person
from .models import PersonFacts
from .models import Token
from .models import now
from .transaction import connection
from .transaction import db
from .transaction import rows_changed

_TOKENS = cast(sa.Table, Token.__table__)
_FIELDS = [f for f in AccessToken.__dataclass_fields__ if f != "person"]

_INSERT: FastStatement[Any] = FastStatement(sa.insert(_TOKENS))
_BY_ACCESS_HASH: FastStatement[Any] = FastStatement(
    sa.select(*(_TOKENS.c[f] for f in _FIELDS), _TOKENS.c.person_id, *PERSON_COLUMNS)
    .join(Person, Person.id == _TOKENS.c.person_id)
    .where(_TOKENS.c.access_token_hash == sa.bindparam("access_token_hash"))
)


def insert(values: dict[str, Any]) -> None:
    """Store a new token (its hashes) in the request's transaction; every column is given."""
    _INSERT.run(connection(), values)


def by_access_hash(access_token_hash: str) -> AccessToken | None:
    """An access token with its person, read-only: what /userinfo releases."""
    found = _BY_ACCESS_HASH.first(connection(), {"access_token_hash": access_token_hash})
    if found is None:
        return None
    return AccessToken(**{f: getattr(found, f) for f in _FIELDS}, person=PersonFacts.of(found))


def by_refresh_hash(refresh_token_hash: str) -> Token | None:
    """The row of a refresh token, to rotate it."""
    return db.session.execute(
        sa.select(Token).filter_by(refresh_token_hash=refresh_token_hash)
    ).scalar_one_or_none()


def by_either_hash(token_hash: str) -> Token | None:
    """The row holding this access or refresh token (RFC 7009 accepts either)."""
    return db.session.execute(
        sa.select(Token).where(
            (Token.access_token_hash == token_hash) | (Token.refresh_token_hash == token_hash)
        )
    ).scalar_one_or_none()


def rotate(token_id: int) -> bool:
    """Mark a refresh token exchanged, atomically: of two racing refreshes one wins."""
    return _changed(
        sa.update(Token)
        .where(Token.id == token_id, Token.revoked_at.is_(None))
        .values(revoked_at=now(), rotated_at=now())
    )


def revoke(token_id: int) -> int:
    """Revoke one token (RFC 7009: its access and refresh token live in one row)."""
    return _revoke(Token.id == token_id)


def revoke_of_code(code_id: int) -> int:
    """Revoke every token issued from a code (RFC 6749 §4.1.2, a code used twice)."""
    return _revoke(Token.code_id == code_id)


def revoke_family(family_id: str | None, keep: int | None = None) -> int:
    """Revoke a code's lineage of refreshed tokens (RFC 9700 §4.14.2), but ``keep``."""
    conditions = [Token.family_id == family_id]
    if keep is not None:
        conditions.append(Token.id != keep)
    return _revoke(*conditions)


def revoke_of_service(person_id: int, client_id: str) -> int:
    """Revoke every token a service holds for a person (a withdrawn consent)."""
    return _revoke(Token.person_id == person_id, Token.client_id == client_id)


def _revoke(*conditions: Any) -> int:
    """Revoke every live token matching the conditions; the caller commits."""
    statement = sa.update(Token).where(Token.revoked_at.is_(None), *conditions)
    return rows_changed(statement.values(revoked_at=now()))


def _changed(statement: Any) -> bool:
    return rows_changed(statement) == 1
