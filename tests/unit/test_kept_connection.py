"""A worker serving one request at a time keeps its connection between requests (transaction.py)."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa

from idp.extensions import db
from idp.storage import transaction
from idp.storage.fast import FastStatement
from idp.storage.models import Person

RENAME = FastStatement(
    sa.update(Person.__table__)
    .where(Person.__table__.c.id == sa.bindparam("pid"))
    .values(given_name=sa.bindparam("name"))
)


@pytest.fixture
def keeping(monkeypatch):
    monkeypatch.setattr(transaction, "_keeping", [True])
    yield
    kept = transaction._kept.__dict__.pop("connection", None)
    if kept is not None:
        kept.close()


def request_connection(app):
    """The connection one request (an app context) ran on, and whether it was left open."""
    with app.app_context():
        connection = transaction.connection()
        driver = connection.connection.dbapi_connection
    return connection, driver


def given_name(person_id: int) -> str | None:
    with db.engine.connect() as other:
        return other.scalar(sa.select(Person.given_name).where(Person.id == person_id))


def test_two_requests_on_the_main_thread_share_one_connection(clean, keeping):
    first, first_driver = request_connection(clean)
    second, second_driver = request_connection(clean)
    assert second is first and second_driver is first_driver
    assert not first.closed and not first.in_transaction()  # kept, its transaction ended


def test_without_keeping_each_request_checks_one_out_and_in(clean):
    first, _ = request_connection(clean)
    assert first.closed  # back in the pool at the end of the request


def test_work_a_request_left_unfinished_is_rolled_back(clean, keeping, person):
    person_id = person.id
    with clean.app_context():
        RENAME.run(transaction.connection(), {"pid": person_id, "name": "Helmi"})
    assert given_name(person_id) == "Aino"
    with clean.app_context():
        RENAME.run(transaction.connection(), {"pid": person_id, "name": "Helmi"})
        transaction.commit()
    assert given_name(person_id) == "Helmi"


def test_a_connection_that_failed_is_replaced(clean, keeping):
    first, _ = request_connection(clean)
    first.invalidate()  # as FastStatement does when the driver reports a lost connection
    second, _ = request_connection(clean)
    assert second is not first and not second.invalidated


def test_other_threads_never_keep_one(clean, keeping):
    seen = []

    def serve() -> None:
        seen.append(request_connection(clean)[0])

    worker = threading.Thread(target=serve)
    worker.start()
    worker.join(30)
    assert seen and seen[0].closed


def test_a_forked_child_never_reuses_its_parents_connection(clean, keeping):
    request_connection(clean)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.write(write, b"kept" if "connection" in transaction._kept.__dict__ else b"none")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 10)
    os.close(read)
    os.waitpid(child, 0)
    assert answer == b"none"
    assert "connection" in transaction._kept.__dict__  # the parent's own is untouched


def test_a_kept_connection_the_server_dropped_is_noticed_before_use(clean, ctx, keeping):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the ping before reuse is PostgreSQL's (pool_pre_ping), as in the pool")
    first, _ = request_connection(clean)
    backend = first.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    first.rollback()
    with db.engine.connect() as admin:
        admin.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    with clean.app_context():
        connection = transaction.connection()
        assert connection is not first
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
