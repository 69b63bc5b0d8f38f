"""The release log's rows: the head of a person's chain, an append racing others, the entries.

An append is plain Core statements on the request's own connection and transaction, so the
entry is durable exactly when the release it records is. A collision with a concurrent append
(the same person, another process or node) must not lose the request: PostgreSQL aborts a
transaction on a failed statement, so there the insert runs in a savepoint; SQLite rolls back
only the failed statement, so there it needs none (docs/decisions/0001-hot-path.md §4).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextlib import nullcontext
from typing import Any
from typing import NamedTuple
from typing import cast

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from .fast import FastStatement
from .models import ReleaseLogEntry
from .transaction import connection
from .transaction import db


class Head(NamedTuple):
    """The last entry of a person's chain."""

    seq: int
    hash: str


_ENTRIES = cast(sa.Table, ReleaseLogEntry.__table__)
_HEAD = FastStatement(
    sa.select(_ENTRIES.c.seq, _ENTRIES.c.hash)
    .where(_ENTRIES.c.person_id == sa.bindparam("person_id"))
    .order_by(_ENTRIES.c.seq.desc())
    .limit(1),
    shape=Head,
)
_INSERT: FastStatement[Any] = FastStatement(sa.insert(_ENTRIES))


def head(person_id: int) -> Head | None:
    """The last entry of the person's chain, or None for an empty chain."""
    return _HEAD.first(connection(), {"person_id": person_id})


def try_append(entry: dict[str, Any]) -> bool:
    """Insert one entry; False if another append took its (person, seq) first."""
    current = connection()
    guard: AbstractContextManager[Any] = (
        current.begin_nested() if current.dialect.name != "sqlite" else nullcontext()
    )
    try:
        with guard:
            _INSERT.run(current, entry)
    except IntegrityError:
        return False
    return True


def entries(
    person_id: int, *, newest_first: bool = False, limit: int | None = None
) -> list[ReleaseLogEntry]:
    """A person's entries in chain order, or newest first."""
    order = ReleaseLogEntry.seq.desc() if newest_first else ReleaseLogEntry.seq
    statement = sa.select(ReleaseLogEntry).where(ReleaseLogEntry.person_id == person_id)
    return list(db.session.execute(statement.order_by(order).limit(limit)).scalars())


def people() -> list[int]:
    """Everyone with a chain, by person id."""
    found = db.session.execute(sa.select(ReleaseLogEntry.person_id).distinct()).scalars()
    return sorted(found)
