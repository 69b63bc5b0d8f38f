"""The bridge's durable card state and journal: SQLite in the bridge's instance folder.

Per card serial: PIN tries left, reset-code tries left, locked. SoftHSM2 does not lock a PIN
(ARCHITECTURE §8), so this counter is the card's, as a chip keeps its own: every try is counted
and committed before the PIN reaches the token, and restored only on success. Each change is
one ``BEGIN IMMEDIATE`` transaction; WAL with ``synchronous=FULL`` makes a commit durable
(sqlite.org/pragma.html#pragma_synchronous). The journal records each operation on a card so
start-up recovery can finish or undo one that a crash interrupted (service.py).
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import CardLocked
from .errors import ResetBlocked

PIN_TRIES = 3  # the authentication PIN's tries (the contract)
# Journal states: an operation is `counted`, then `snapshotted`, then finished as one of the rest.
COUNTED, SNAPSHOTTED = "counted", "snapshotted"
DONE, FAILED, ABANDONED, ROLLED_BACK = "done", "failed", "abandoned", "rolled_back"
UNFINISHED = (COUNTED, SNAPSHOTTED)

SCHEMA = """
CREATE TABLE IF NOT EXISTS card_state (
    serial TEXT PRIMARY KEY,
    pin_tries_left INTEGER NOT NULL CHECK (pin_tries_left BETWEEN 0 AND 3),
    reset_tries_left INTEGER NOT NULL CHECK (reset_tries_left >= 0),
    locked INTEGER NOT NULL CHECK (locked IN (0, 1)),
    updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    serial TEXT NOT NULL,
    operation TEXT NOT NULL,
    state TEXT NOT NULL,
    token_folder TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS journal_state ON journal (state);
"""


@dataclass(frozen=True)
class CardState:
    """What the bridge knows of one card's PINs."""

    serial: str
    pin_tries_left: int
    reset_tries_left: int
    locked: bool


@dataclass(frozen=True)
class JournalEntry:
    """One operation on a card as the journal holds it."""

    id: int
    serial: str
    operation: str
    state: str
    token_folder: str | None


class CardStates:
    """The state store of one bridge instance."""

    def __init__(self, path: Path, reset_tries: int) -> None:
        self.path = path
        self.reset_tries = reset_tries
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with closing(self._connect()) as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=15, isolation_level=None)
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")  # the write lock first: no lost update
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def _row(self, connection: sqlite3.Connection, serial: str) -> CardState:
        connection.execute(
            "INSERT OR IGNORE INTO card_state VALUES (?, ?, ?, 0, ?)",
            (serial, PIN_TRIES, self.reset_tries, int(time.time())),
        )
        row = connection.execute(
            "SELECT serial, pin_tries_left, reset_tries_left, locked FROM card_state "
            "WHERE serial = ?",
            (serial,),
        ).fetchone()
        return CardState(row[0], row[1], row[2], bool(row[3]))

    def load(self, serial: str) -> CardState:
        """The card's state; a card seen for the first time starts with every try left."""
        with self._transaction() as connection:
            return self._row(connection, serial)

    def load_all(self, serials: list[str]) -> dict[str, CardState]:
        """Every listed card's state in one read; a card not seen yet has every try left."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT serial, pin_tries_left, reset_tries_left, locked FROM card_state"
            ).fetchall()
        known = {row[0]: CardState(row[0], row[1], row[2], bool(row[3])) for row in rows}
        fresh = CardState("", PIN_TRIES, self.reset_tries, False)
        return {s: known.get(s) or dataclasses.replace(fresh, serial=s) for s in serials}

    def count_pin_try(self, serial: str, operation: str) -> tuple[int, CardState]:
        """Spend one PIN try and journal the operation; raise CardLocked when none is left."""
        with self._transaction() as connection:
            state = self._row(connection, serial)
            if state.locked or state.pin_tries_left == 0:
                raise CardLocked()
            left = state.pin_tries_left - 1
            self._set(connection, serial, pin_tries_left=left, locked=int(left == 0))
            entry = self._journal(connection, serial, operation)
            return entry, CardState(serial, left, state.reset_tries_left, left == 0)

    def count_reset_try(self, serial: str, operation: str) -> tuple[int, CardState]:
        """Spend one reset-code try and journal the operation; ResetBlocked when none is left."""
        with self._transaction() as connection:
            state = self._row(connection, serial)
            if state.reset_tries_left == 0:
                raise ResetBlocked()
            left = state.reset_tries_left - 1
            self._set(connection, serial, reset_tries_left=left)
            entry = self._journal(connection, serial, operation)
            return entry, CardState(serial, state.pin_tries_left, left, state.locked)

    def snapshotted(self, entry: int, token_folder: str) -> None:
        """Record that the token's files are saved and the token may now be written."""
        with self._transaction() as connection:
            connection.execute(
                "UPDATE journal SET state = ?, token_folder = ? WHERE id = ?",
                (SNAPSHOTTED, token_folder, entry),
            )

    def succeed(self, entry: int, serial: str, *, reset_tries: bool = False) -> None:
        """The card took the PIN: every PIN try back (and reset tries after an unblock), done."""
        with self._transaction() as connection:
            changes = dict(pin_tries_left=PIN_TRIES, locked=0)
            if reset_tries:
                changes["reset_tries_left"] = self.reset_tries
            self._set(connection, serial, **changes)
            self._finish(connection, entry, DONE)

    def refund_reset_try(self, entry: int, serial: str) -> None:
        """The code was never checked (the authority did not answer): give the try back."""
        with self._transaction() as connection:
            connection.execute(
                "UPDATE card_state SET reset_tries_left = MIN(reset_tries_left + 1, ?) "
                "WHERE serial = ?",
                (self.reset_tries, serial),
            )
            self._finish(connection, entry, ABANDONED)

    def finish(self, entry: int, state: str) -> None:
        """Close a journal entry without touching the counters (the try stays spent)."""
        with self._transaction() as connection:
            self._finish(connection, entry, state)

    def unfinished(self) -> list[JournalEntry]:
        """Operations that a crash interrupted, oldest first."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT id, serial, operation, state, token_folder FROM journal "
                "WHERE state IN (?, ?) ORDER BY id",
                UNFINISHED,
            ).fetchall()
        return [JournalEntry(*row) for row in rows]

    @staticmethod
    def _set(connection: sqlite3.Connection, serial: str, **values: int) -> None:
        columns = ", ".join(f"{name} = ?" for name in values)  # names are this module's own
        connection.execute(
            f"UPDATE card_state SET {columns}, updated_at = ? WHERE serial = ?",  # noqa: S608
            (*values.values(), int(time.time()), serial),
        )

    @staticmethod
    def _journal(connection: sqlite3.Connection, serial: str, operation: str) -> int:
        cursor = connection.execute(
            "INSERT INTO journal (serial, operation, state, started_at) VALUES (?, ?, ?, ?)",
            (serial, operation, COUNTED, int(time.time())),
        )
        return int(cursor.lastrowid or 0)

    @staticmethod
    def _finish(connection: sqlite3.Connection, entry: int, state: str) -> None:
        connection.execute(
            "UPDATE journal SET state = ?, finished_at = ? WHERE id = ?",
            (state, int(time.time()), entry),
        )
