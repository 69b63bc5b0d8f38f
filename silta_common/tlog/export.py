"""The citizen's downloaded log: format ``silta.release-log-export/v1``, read strictly.

    {"format": "silta.release-log-export/v1",
     "checkpoint": "<signed note: the checkpoint, the log's signature, witnesses' cosignatures>",
     "entries": [{"leaf_index": 17, "leaf": "<the leaf's data as text>",
                  "inclusion_proof": ["<base64 hash>", ...]}]}

A leaf's data is the UTF-8 encoding of ``leaf``, hashed as RFC 9162 §2.1.1 says; the proof is
its audit path in the checkpoint's tree (§2.1.3.1). Unknown fields are refused: what is not
verified is not in the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .keys import KeyFormatError
from .keys import strict_b64decode
from .merkle import HASH_SIZE

FORMAT = "silta.release-log-export/v1"
MAX_EXPORT_BYTES = 16 * 1024 * 1024
MAX_PROOF_LENGTH = 64  # a tree of at most 2^64 leaves is at most 64 levels deep


class ExportError(ValueError):
    """A file that is not a release-log export; the message says what is wrong with it."""


@dataclass(frozen=True)
class Entry:
    """One of the citizen's entries: its place in the tree, its data and its audit path."""

    leaf_index: int
    leaf: str
    inclusion_proof: tuple[bytes, ...]


@dataclass(frozen=True)
class Export:
    """The checkpoint (a signed note) and the entries proved against it."""

    checkpoint: str
    entries: tuple[Entry, ...]


def load(path: Path) -> Export:
    """Read and check the shape of an export file."""
    try:
        if path.stat().st_size > MAX_EXPORT_BYTES:
            raise ExportError(f"the file is larger than {MAX_EXPORT_BYTES // 2**20} MiB")
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ExportError(f"the file cannot be read: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExportError("the file is not JSON") from None
    return parse(document)


def _fields(value: Any, names: set[str], what: str) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) != names:
        raise ExportError(f"{what} must hold exactly the fields {', '.join(sorted(names))}")
    return value


def parse(document: Any) -> Export:
    """An Export from decoded JSON, or ExportError."""
    top = _fields(document, {"format", "checkpoint", "entries"}, "the file")
    if top["format"] != FORMAT:
        raise ExportError(f"the file's format is not {FORMAT}")
    if not isinstance(top["checkpoint"], str) or not isinstance(top["entries"], list):
        raise ExportError("the checkpoint must be text and the entries a list")
    return Export(top["checkpoint"], tuple(_entry(e, n) for n, e in enumerate(top["entries"])))


def _entry(value: Any, number: int) -> Entry:
    entry = _fields(value, {"leaf_index", "leaf", "inclusion_proof"}, f"entry {number + 1}")
    index, leaf, proof = entry["leaf_index"], entry["leaf"], entry["inclusion_proof"]
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise ExportError(f"entry {number + 1}: leaf_index must be a whole number")
    if not isinstance(leaf, str):
        raise ExportError(f"entry {number + 1}: leaf must be text")
    if not isinstance(proof, list) or len(proof) > MAX_PROOF_LENGTH:
        raise ExportError(f"entry {number + 1}: inclusion_proof must be a list of hashes")
    return Entry(index, leaf, tuple(_hash(h, number) for h in proof))


def _hash(value: Any, number: int) -> bytes:
    try:
        raw = strict_b64decode(value) if isinstance(value, str) else b""
    except KeyFormatError:
        raw = b""
    if len(raw) != HASH_SIZE:
        raise ExportError(f"entry {number + 1}: every proof hash is {HASH_SIZE} bytes in base64")
    return raw
