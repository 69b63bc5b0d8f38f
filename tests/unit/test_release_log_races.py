"""The release log under a race: an append that collides with another node's is chained after it."""

from __future__ import annotations

import sqlalchemy as sa

from idp.audit import release_log
from idp.extensions import db
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import now

LOA2 = "http://ftn.ficora.fi/2017/loa2"


def append(person_id: int, client: str) -> release_log.Appended:
    return release_log.append(
        person_id=person_id,
        client_id=client,
        client_name=client.title(),
        channel="userinfo",
        claims=["given_name"],
        method="dev",
        acr=LOA2,
    )


def another_node_appends(person_id: int, seq: int, prev: str) -> str:
    """Commit an entry on a connection of its own, as a second node would; return its hash."""
    fields = dict(
        person_id=person_id,
        seq=seq,
        created_at=now(),
        client_id="library",
        client_name="Library",
        channel="id_token",
        claims=["given_name"],
        method="dev",
        acr=LOA2,
    )
    digest = release_log.entry_hash(prev, fields)
    with db.engine.begin() as connection:
        connection.execute(
            sa.insert(ReleaseLogEntry.__table__).values(**fields, prev_hash=prev, hash=digest)
        )
    return digest


def test_a_colliding_append_chains_onto_the_entry_that_won(ctx, person):
    first = append(person.id, "tax")
    ctx.commit()
    raced: list[str] = []
    racing: list[bool] = []

    def race(conn, cursor, statement, parameters, context, executemany):
        # Between this request's read of the head and its insert, another node appends.
        if statement.startswith("INSERT INTO release_log_entry") and not racing:
            racing.append(True)
            raced.append(another_node_appends(person.id, first.seq + 1, first.hash))

    sa.event.listen(db.engine, "before_cursor_execute", race)
    try:
        ours = append(person.id, "tax")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", race)
    ctx.commit()

    assert raced, "the other node's append did not happen"
    assert ours.seq == first.seq + 2
    assert ours.prev_hash == raced[0]  # chained onto the entry that won the race
    assert release_log.verify(person.id) == release_log.ChainStatus(person.id, 3, True)
    clients = ctx.execute(
        sa.select(ReleaseLogEntry.client_id).order_by(ReleaseLogEntry.seq)
    ).scalars()
    assert list(clients) == ["tax", "library", "tax"]
