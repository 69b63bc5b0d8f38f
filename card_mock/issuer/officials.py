"""The municipal officials who may use the PIN-reset desk, each with a hashed desk password.

DESK_OFFICIALS_FILE (TOML) lists ``[[officials]]`` with ``id``, ``name`` and
``password_hash`` (argon2id, PHC string; `silta-card hash-password` prints one).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .passwords import verify_secret


class OfficialConfigError(ValueError):
    """An official entry is malformed; the message names it."""


@dataclass(frozen=True)
class Official:
    """A desk official: id, display name, password hash."""

    id: str
    name: str
    password_hash: str


def load_officials(path: str, entries: Iterable[dict] | None = None) -> dict[str, Official]:
    """The officials of DESK_OFFICIALS_FILE (if set) and of `entries`, by id."""
    tables = list(entries or [])
    if path:
        tables += tomllib.loads(Path(path).read_text()).get("officials", [])
    officials: dict[str, Official] = {}
    for table in tables:
        official_id, name = str(table.get("id", "")), str(table.get("name", ""))
        password_hash = str(table.get("password_hash", ""))
        if not official_id or not name or not password_hash.startswith("$argon2id$"):
            raise OfficialConfigError(
                f"Official {official_id!r} needs an id, a name and an argon2id password_hash."
            )
        officials[official_id] = Official(official_id, name, password_hash)
    return officials


def check_login(officials: dict[str, Official], official_id: str, password: str) -> Official | None:
    """The official if the desk password matches; an unknown id costs the same time."""
    official = officials.get(official_id)
    if verify_secret(official.password_hash if official else None, password):
        return official
    return None
