"""The logs a witness witnesses: origin, the log's verifier keys, and where to fetch from.

LOGS_FILE is TOML, one ``[[logs]]`` table per log::

    [[logs]]
    origin = "silta.example/release-log"
    keys = ["silta.example/release-log+1a2b3c4d+AU..."]      # the log's note keys
    checkpoint_url = "https://silta.example/log/checkpoint"   # optional: push-only without
    consistency_url = "https://silta.example/log/consistency"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from silta_common.tlog.keys import ED25519
from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import VerifierKey

from .config import ConfigError
from .models import MAX_ORIGIN

FIELDS = {"origin", "keys", "checkpoint_url", "consistency_url"}


@dataclass(frozen=True)
class WitnessedLog:
    """One log: checkpoints with this origin must carry a signature by one of its keys."""

    origin: str
    keys: tuple[VerifierKey, ...]
    checkpoint_url: str = ""
    consistency_url: str = ""


def load_logs(path: str, entries: list[Mapping[str, Any]] | None) -> dict[str, WitnessedLog]:
    """The logs of LOGS_FILE and of the ``LOGS`` mapping, by origin; ConfigError if invalid."""
    tables = list(entries or [])
    if path:
        try:
            tables += tomllib.loads(Path(path).read_text()).get("logs", [])
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"WITNESS_LOGS_FILE cannot be read: {error}") from None
    found: dict[str, WitnessedLog] = {}
    for table in tables:
        log = _log(table)
        if log.origin in found:
            raise ConfigError(f"The log {log.origin} is configured twice.")
        found[log.origin] = log
    return found


def _log(table: Mapping[str, Any]) -> WitnessedLog:
    origin = table.get("origin")
    if not isinstance(origin, str) or not 0 < len(origin) <= MAX_ORIGIN or "\n" in origin:
        raise ConfigError("Every [[logs]] entry needs an origin (one line, at most 255).")
    if set(table) - FIELDS:
        raise ConfigError(f"Log {origin}: unknown fields {sorted(set(table) - FIELDS)}.")
    texts = table.get("keys")
    if not isinstance(texts, list) or not texts:
        raise ConfigError(f"Log {origin}: keys must list its verifier keys.")
    try:
        keys = tuple(VerifierKey.parse(str(text)) for text in texts)
    except KeyFormatError as error:
        raise ConfigError(f"Log {origin}: a key cannot be read: {error}.") from None
    for key in keys:
        # tlog-checkpoint §Signatures: "The log's key name ... SHOULD match the origin line".
        if key.key_type != ED25519 or key.name != origin:
            raise ConfigError(f"Log {origin}: each key must be an Ed25519 key named {origin}.")
    urls = [str(table.get(name, "")) for name in ("checkpoint_url", "consistency_url")]
    if any(urls) and not all(urlsplit(u).scheme in ("http", "https") for u in urls):
        raise ConfigError(f"Log {origin}: give both checkpoint_url and consistency_url (http).")
    return WitnessedLog(origin, keys, *urls)
