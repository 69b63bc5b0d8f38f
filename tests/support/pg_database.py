"""A PostgreSQL database of the run's own, so two runs on one server never wipe each other.

``python -m tests.support.pg_database URL`` exits 0 when a server answers at URL (the Makefile
asks before the PostgreSQL run), else 1 with the reason.
"""

from __future__ import annotations

import secrets
import sys

import sqlalchemy as sa


def maintenance_url(url: str) -> str:
    """The same server's `postgres` database, from which databases are created and dropped."""
    return sa.engine.make_url(url).set(database="postgres").render_as_string(hide_password=False)


def database_answers(url: str) -> bool:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def create_database(server_url: str, prefix: str) -> str:
    """A new, empty database on the server of ``server_url``; returns its URL."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    _admin(server_url, f'CREATE DATABASE "{name}"')
    return sa.engine.make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database of ``url``, closing any connection still open to it."""
    name = sa.engine.make_url(url).database
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, statement: str) -> None:
    engine = sa.create_engine(
        maintenance_url(url), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
    )
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
    finally:
        engine.dispose()


def main(url: str) -> int:
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure means "no usable server"
        print(f"PostgreSQL check failed: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
