"""The witness's store: each log's latest cosigned checkpoint, every cosignature, every alarm.

The schema is small and made by ``create_all`` at start-up (no migrations). Alarms are evidence:
database triggers refuse to change or delete them, whoever asks.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .extensions import db

MAX_SIZE = (1 << 63) - 1  # the largest tree size a BIGINT holds
MAX_ORIGIN = 255


class LogState(db.Model):  # type: ignore[name-defined]
    """The latest checkpoint this witness cosigned for one log (C2SP tlog-witness)."""

    __tablename__ = "log_state"

    origin: Mapped[str] = mapped_column(sa.String(MAX_ORIGIN), primary_key=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    root: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    checkpoint: Mapped[str] = mapped_column(sa.Text)  # the note, our cosignature included
    cosigned_at: Mapped[int] = mapped_column(sa.BigInteger)  # POSIX time of our cosignature


class Cosignature(db.Model):  # type: ignore[name-defined]
    """One cosignature this witness made: the history behind LogState."""

    __tablename__ = "cosignature"
    __table_args__ = (sa.Index("cosignature_by_size", "origin", "size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    root: Mapped[bytes] = mapped_column(sa.LargeBinary(32))
    timestamp: Mapped[int] = mapped_column(sa.BigInteger)
    checkpoint: Mapped[str] = mapped_column(sa.Text)


class Alarm(db.Model):  # type: ignore[name-defined]
    """A refusal that is evidence against a log: a rollback, a fork, a bad proof or signature."""

    __tablename__ = "alarm"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(40))
    detail: Mapped[str] = mapped_column(sa.Text)
    evidence: Mapped[str] = mapped_column(sa.Text)  # what the log signed or served
    raised_at: Mapped[int] = mapped_column(sa.BigInteger)  # POSIX time


_SQLITE_KEEP = [
    "CREATE TRIGGER alarm_never_deleted BEFORE DELETE ON alarm "
    "BEGIN SELECT RAISE(ABORT, 'alarms are never deleted'); END",
    "CREATE TRIGGER alarm_never_changed BEFORE UPDATE ON alarm "
    "BEGIN SELECT RAISE(ABORT, 'alarms are never changed'); END",
]
_POSTGRESQL_KEEP = [
    "CREATE OR REPLACE FUNCTION alarm_is_kept() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'alarms are never changed or deleted'; END $$",
    "CREATE TRIGGER alarm_is_kept BEFORE UPDATE OR DELETE ON alarm "
    "FOR EACH ROW EXECUTE FUNCTION alarm_is_kept()",
    "CREATE TRIGGER alarm_is_not_truncated BEFORE TRUNCATE ON alarm "
    "FOR EACH STATEMENT EXECUTE FUNCTION alarm_is_kept()",
]
for _statement in _SQLITE_KEEP:
    sa.event.listen(
        Alarm.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite")
    )
for _statement in _POSTGRESQL_KEEP:
    sa.event.listen(
        Alarm.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql")
    )
