"""The citizen's release log: append-only, one hash chain per person.

Each entry's hash covers its own fields and the previous entry's hash, so removing, reordering
or editing any entry breaks every later hash. Appends race safely: (person, seq) is unique, so
a concurrent append fails and is retried on the new head.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..storage import queries
from ..storage.fast import FastStatement
from ..storage.models import ReleaseLogEntry
from ..storage.models import now
from . import events

GENESIS = "0" * 64
FIELDS = (
    "person_id",
    "seq",
    "created_at",
    "client_id",
    "client_name",
    "channel",
    "claims",
    "method",
    "acr",
)


_ENTRIES = ReleaseLogEntry.__table__
_HEAD = FastStatement(
    sa.select(_ENTRIES.c.seq, _ENTRIES.c.hash)
    .where(_ENTRIES.c.person_id == sa.bindparam("person_id"))
    .order_by(_ENTRIES.c.seq.desc())
    .limit(1)
)
_INSERT = FastStatement(sa.insert(_ENTRIES))


class Appended(NamedTuple):
    """Where an append landed in the chain."""

    seq: int
    prev_hash: str
    hash: str


def entry_hash(prev_hash: str, fields: dict) -> str:
    canonical = json.dumps({k: fields[k] for k in FIELDS}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def append(
    *,
    person_id: int,
    client_id: str,
    client_name: str,
    channel: str,
    claims: list[str],
    method: str,
    acr: str,
    attempts: int = 5,
) -> Appended:
    """Append one entry to the person's chain; the caller commits with the rest of its work.

    Plain Core statements on the request's own connection and transaction: the entry is
    durable exactly when the release it records is. A collision with a concurrent append (the
    same person, another process or node) is retried on the new head without losing the
    request: PostgreSQL aborts a transaction on a failed statement, so there the insert runs in
    a savepoint; SQLite rolls back only the failed statement, so there it needs none.
    """
    connection = queries.connection()
    guard = connection.begin_nested if connection.dialect.name != "sqlite" else nullcontext
    for _ in range(attempts):
        head = _HEAD.first(connection, {"person_id": person_id})
        seq, prev = (head[0] + 1, head[1]) if head else (1, GENESIS)
        fields = dict(
            person_id=person_id,
            seq=seq,
            created_at=now(),
            client_id=client_id,
            client_name=client_name,
            channel=channel,
            claims=sorted(claims),
            method=method,
            acr=acr,
        )
        digest = entry_hash(prev, fields)
        try:
            with guard():
                _INSERT.run(connection, {**fields, "prev_hash": prev, "hash": digest})
        except IntegrityError:
            continue  # another node appended first: chain onto its entry
        events.emit_on_success(
            events.CLAIMS_RELEASED,
            person_id=person_id,
            client_id=client_id,
            channel=channel,
            claims=sorted(claims),
        )
        return Appended(seq, prev, digest)
    raise RuntimeError("release log append kept colliding; giving up")


@dataclass(frozen=True)
class ChainStatus:
    person_id: int
    entries: int
    ok: bool
    broken_at: int | None = None


def verify(person_id: int) -> ChainStatus:
    rows = (
        db.session.execute(
            db.select(ReleaseLogEntry)
            .where(ReleaseLogEntry.person_id == person_id)
            .order_by(ReleaseLogEntry.seq)
        )
        .scalars()
        .all()
    )
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        fields = {k: getattr(row, k) for k in FIELDS}
        if row.seq != expected_seq or row.prev_hash != prev or row.hash != entry_hash(prev, fields):
            return ChainStatus(person_id, len(rows), False, row.seq)
        prev = row.hash
    return ChainStatus(person_id, len(rows), True)


def verify_all() -> list[ChainStatus]:
    people = db.session.execute(db.select(ReleaseLogEntry.person_id).distinct()).scalars()
    return [verify(pid) for pid in sorted(people)]


def entries_for(person_id: int, limit: int = 200) -> list[ReleaseLogEntry]:
    return (
        db.session.execute(
            db.select(ReleaseLogEntry)
            .where(ReleaseLogEntry.person_id == person_id)
            .order_by(ReleaseLogEntry.seq.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )
