"""C2SP tlog-checkpoint: the note text ``<origin>\\n<size>\\n<base64 root>\\n[extension lines]``."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from .keys import KeyFormatError
from .keys import strict_b64decode
from .merkle import HASH_SIZE
from .merkle import MAX_TREE_SIZE

SIZE = re.compile(r"0|[1-9][0-9]{0,19}")  # tlog-checkpoint: "no leading zeroes"


class CheckpointError(ValueError):
    """A checkpoint body that breaks tlog-checkpoint §Note text; the message says how."""


@dataclass(frozen=True)
class Checkpoint:
    """A log's tree head: its origin, its size and its RFC 9162 root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def body(self) -> str:
        """The checkpoint as note text, ending in a newline."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode("ascii")]
        return "\n".join([*lines, *self.extensions]) + "\n"

    @classmethod
    def parse(cls, body: str) -> Checkpoint:
        """Read a checkpoint body strictly (tlog-checkpoint §Note text)."""
        if not body.endswith("\n"):
            raise CheckpointError("a checkpoint body ends with a newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3 or not all(lines):
            raise CheckpointError("a checkpoint is at least three lines, none of them empty")
        origin, size, root = lines[:3]
        if not SIZE.fullmatch(size) or int(size) > MAX_TREE_SIZE:
            raise CheckpointError("the tree size must be a decimal number without leading zeros")
        try:
            root_hash = strict_b64decode(root)
        except KeyFormatError:
            raise CheckpointError("the root hash must be standard base64") from None
        if len(root_hash) != HASH_SIZE:
            raise CheckpointError(f"the root hash must be {HASH_SIZE} bytes")
        return cls(origin, int(size), root_hash, tuple(lines[3:]))
