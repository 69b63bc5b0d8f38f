"""The citizen's release log: append-only, one hash chain per person.

Each entry's hash covers its own fields and the previous entry's hash, so removing, reordering
or editing any entry breaks every later hash. Appends race safely: (person, seq) is unique, so
a concurrent append fails and is retried on the new head.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from typing import NamedTuple

from ..storage import release_log as stored
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


class Appended(NamedTuple):
    """Where an append landed in the chain."""

    seq: int
    prev_hash: str
    hash: str


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
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

    The entry is written in the request's own transaction, durable exactly when the release it
    records is; a collision with a concurrent append (the same person, another process or node)
    is retried on the new head without losing the request (storage/release_log.py).
    """
    for _ in range(attempts):
        head = stored.head(person_id)
        seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
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
        if not stored.try_append({**fields, "prev_hash": prev, "hash": digest}):
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
    rows = stored.entries(person_id)
    prev = GENESIS
    for expected_seq, row in enumerate(rows, start=1):
        fields = {k: getattr(row, k) for k in FIELDS}
        if row.seq != expected_seq or row.prev_hash != prev or row.hash != entry_hash(prev, fields):
            return ChainStatus(person_id, len(rows), False, row.seq)
        prev = row.hash
    return ChainStatus(person_id, len(rows), True)


def verify_all() -> list[ChainStatus]:
    return [verify(person_id) for person_id in stored.people()]


def entries_for(person_id: int, limit: int = 200) -> list[ReleaseLogEntry]:
    """A person's latest entries, newest first (their "my data" page)."""
    return stored.entries(person_id, newest_first=True, limit=limit)
