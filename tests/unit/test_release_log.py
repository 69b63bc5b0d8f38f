"""The release log: appends chain, and any edit, removal or reordering is detected."""

from __future__ import annotations

import pytest

from idp.audit import release_log
from idp.extensions import db
from idp.storage.models import Person
from idp.storage.models import ReleaseLogEntry


def append(person_id: int, client: str = "tax", claims=("given_name",)):
    entry = release_log.append(
        person_id=person_id,
        client_id=client,
        client_name=client.title(),
        channel="id_token",
        claims=list(claims),
        method="dev",
        acr="http://ftn.ficora.fi/2017/loa2",
    )
    db.session.commit()
    return entry


def test_entries_chain_from_genesis(person):
    first, second = append(person.id), append(person.id, "library")
    assert first.seq == 1 and first.prev_hash == release_log.GENESIS
    assert second.seq == 2 and second.prev_hash == first.hash
    assert release_log.verify(person.id) == release_log.ChainStatus(person.id, 2, True)


def test_chains_are_per_person(ctx, person):
    other = Person(uid="u-2")
    ctx.add(other)
    ctx.commit()
    append(person.id)
    entry = append(other.id)
    assert entry.seq == 1


@pytest.mark.parametrize(
    "tamper",
    [
        lambda rows, s: setattr(rows[0], "claims", ["given_name", "urn:oid:1.2.246.21"]),
        lambda rows, s: setattr(rows[1], "client_name", "Someone Else"),
        lambda rows, s: s.delete(rows[0]),
        lambda rows, s: setattr(rows[2], "created_at", rows[2].created_at - 3600),
    ],
    ids=["edited-claims", "edited-service", "removed-entry", "backdated"],
)
def test_tampering_is_detected(ctx, person, tamper):
    for _ in range(3):
        append(person.id)
    rows = ctx.execute(db.select(ReleaseLogEntry).order_by(ReleaseLogEntry.seq)).scalars().all()
    tamper(rows, ctx)
    ctx.commit()
    status = release_log.verify(person.id)
    assert not status.ok
    assert status.broken_at is not None


def test_verify_all_reports_each_chain(ctx, person):
    append(person.id)
    assert [s.ok for s in release_log.verify_all()] == [True]


def test_newest_entries_first_for_the_account_page(person):
    append(person.id, "tax")
    append(person.id, "library")
    assert [e.client_id for e in release_log.entries_for(person.id)] == ["library", "tax"]
