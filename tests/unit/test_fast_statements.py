"""Hot-path statements on the driver's cursor (idp/storage/fast.py) behave as SQLAlchemy's do."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from idp.extensions import db
from idp.storage import transaction
from idp.storage.fast import FastStatement
from idp.storage.models import ConsentGrant
from idp.storage.models import Person
from idp.storage.models import now

GRANTS = ConsentGrant.__table__
BY_PERSON = (
    sa.select(GRANTS.c.id, GRANTS.c.requested, GRANTS.c.granted, GRANTS.c.revoked_at)
    .where(GRANTS.c.person_id == sa.bindparam("person_id"), GRANTS.c.client_id == "tax")
    .order_by(GRANTS.c.id.desc())
    .limit(1)
)


def grant(person_id: int, **values) -> dict:
    return (
        dict(
            person_id=person_id,
            client_id="tax",
            requested=["given_name", "family_name"],
            granted=["given_name"],
            created_at=now(),
            revoked_at=None,
        )
        | values
    )


def test_a_row_reads_as_sqlalchemy_reads_it_json_columns_included(ctx, person):
    FastStatement(sa.insert(GRANTS)).run(transaction.connection(), grant(person.id))
    ctx.commit()

    fast = FastStatement(BY_PERSON).first(transaction.connection(), {"person_id": person.id})
    plain = ctx.execute(BY_PERSON, {"person_id": person.id}).first()

    assert tuple(fast) == tuple(plain)
    assert fast.granted == ["given_name"]  # a JSON column comes back as a list
    assert fast._fields == ("id", "requested", "granted", "revoked_at")
    assert FastStatement(BY_PERSON).first(transaction.connection(), {"person_id": -1}) is None


def test_it_runs_in_the_request_transaction_and_rolls_back_with_it(ctx, person):
    FastStatement(sa.insert(GRANTS)).run(transaction.connection(), grant(person.id))
    ctx.rollback()

    assert ctx.scalar(sa.select(sa.func.count()).select_from(GRANTS)) == 0


def test_a_driver_error_is_sqlalchemys_and_changes_nothing(ctx, person):
    insert = FastStatement(sa.insert(Person.__table__))
    taken = dict(
        uid="u-1",
        national_id=None,
        given_name="Other",
        family_name=None,
        birthdate=None,
        created_at=now(),
    )

    with pytest.raises(IntegrityError):
        insert.run(transaction.connection(), taken)
    ctx.rollback()

    assert ctx.scalars(sa.select(Person.given_name)).all() == ["Aino"]


def test_engine_listeners_see_each_statement(ctx, person):
    person_id = person.id  # read before listening: the ORM reloads it after the commit
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        FastStatement(BY_PERSON).first(transaction.connection(), {"person_id": person_id})
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)

    assert len(seen) == 1
    assert seen[0].startswith("SELECT consent_grant.id")


def test_an_insert_is_compiled_for_the_columns_it_is_given(ctx, person):
    insert = FastStatement(sa.insert(GRANTS))
    insert.run(transaction.connection(), grant(person.id))
    insert.run(transaction.connection(), grant(person.id, revoked_at=now()) | {"granted": []})
    values = grant(person.id)
    del values["revoked_at"]  # nullable, not given: another column list, another form
    insert.run(transaction.connection(), values)
    ctx.commit()

    assert ctx.scalar(sa.select(sa.func.count()).select_from(GRANTS)) == 3


def test_statements_it_cannot_run_faithfully_are_refused_when_first_run(ctx):
    # Person.created_at has a Python-side default: leaving it out needs SQLAlchemy's prefetch.
    insert = FastStatement(sa.insert(Person.__table__))

    with pytest.raises(TypeError, match="Python-side defaults"):
        insert.run(transaction.connection(), dict(uid="u-other"))

    expanding = FastStatement(
        sa.select(Person.id).where(Person.uid.in_(sa.bindparam("uids", expanding=True)))
    )
    with pytest.raises(TypeError, match="expanding"):
        expanding.first(transaction.connection(), {"uids": ["a", "b"]})


def given_name(person_id: int) -> str | None:
    """What another connection reads: only what was committed."""
    with db.engine.connect() as other:
        return other.scalar(sa.select(Person.given_name).where(Person.id == person_id))


def rename(person_id: int, name: str) -> None:
    statement = FastStatement(
        sa.update(Person.__table__)
        .where(Person.__table__.c.id == sa.bindparam("pid"))
        .values(given_name=sa.bindparam("name"))
    )
    statement.run(transaction.connection(), {"pid": person_id, "name": name})


def test_the_request_transaction_is_renewed_after_a_commit(ctx, person):
    person_id = person.id
    first = transaction.connection()
    assert transaction.connection() is first  # one look-up per transaction
    rename(person_id, "Helmi")
    ctx.commit()

    renewed = transaction.connection()

    assert not renewed.closed
    assert renewed.in_transaction()
    assert given_name(person_id) == "Helmi"


def test_core_work_commits_without_an_orm_session(clean, person):
    person_id = person.id
    with clean.app_context():
        rename(person_id, "Helmi")
        assert not db.session.registry.has()  # the hot path never makes one
        transaction.commit()
    assert given_name(person_id) == "Helmi"


def test_orm_work_after_core_work_joins_its_transaction(clean, person):
    person_id = person.id
    with clean.app_context():
        rename(person_id, "Helmi")
        core = transaction.connection()
        row = db.session.get(Person, person_id)  # the ORM, later in the same request
        assert db.session.connection() is core  # one connection: SQLite has one writer
        row.family_name = "Virtanen"
        transaction.commit()
    with db.engine.connect() as other:
        names = other.execute(
            sa.select(Person.given_name, Person.family_name).where(Person.id == person_id)
        ).one()
    assert tuple(names) == ("Helmi", "Virtanen")


def test_a_rollback_undoes_core_and_orm_work_alike(clean, person):
    person_id = person.id
    with clean.app_context():
        rename(person_id, "Helmi")
        db.session.get(Person, person_id).family_name = "Virtanen"
        db.session.flush()
        db.session.rollback()
        assert transaction.connection() is not None  # the next transaction begins at once
    with db.engine.connect() as other:
        names = other.execute(
            sa.select(Person.given_name, Person.family_name).where(Person.id == person_id)
        ).one()
    assert tuple(names) == ("Aino", None)


def test_unfinished_work_is_rolled_back_when_the_context_ends(clean, person):
    person_id = person.id
    with clean.app_context():
        rename(person_id, "Helmi")
        core = transaction.connection()
    assert core.closed  # back in the pool
    assert given_name(person_id) == "Aino"
