"""A small transparency log for tests: leaves in memory, checkpoints signed with its own key.

It stands in for the broker's log (the witness's and the offline check's tests), built only
from silta_common.tlog, so a test can also make it misbehave: fork, roll back, sign badly.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from silta_common.tlog import keys
from silta_common.tlog import merkle
from silta_common.tlog import note
from silta_common.tlog.checkpoint import Checkpoint

ORIGIN = "silta.test/release-log"


class FakeLog:
    """An append-only list of leaves with a signing key; ``leaves`` may be edited to cheat."""

    def __init__(self, origin: str = ORIGIN) -> None:
        self.origin = origin
        self.signer = keys.SignerKey.generate(origin)
        self.leaves: list[bytes] = []

    @property
    def key(self) -> keys.VerifierKey:
        return self.signer.verifier

    def append(self, *data: str) -> None:
        self.leaves += [d.encode() for d in data]

    def hashes(self, size: int | None = None) -> list[bytes]:
        return [merkle.leaf_hash(leaf) for leaf in self.leaves[:size]]

    def checkpoint(self, size: int | None = None, signer: keys.SignerKey | None = None) -> str:
        """The signed checkpoint of the first ``size`` leaves (all, by default)."""
        hashes = self.hashes(size)
        body = Checkpoint(self.origin, len(hashes), merkle.root_hash(hashes)).body()
        return note.sign(body, [signer or self.signer])

    def consistency(self, old: int, new: int | None = None) -> list[bytes]:
        return merkle.consistency_proof(self.hashes(new), old)

    def consistency_json(self, old: int, new: int) -> dict[str, object]:
        """The body of the log's ``GET …/consistency?from=old&to=new``."""
        proof = [base64.b64encode(h).decode() for h in self.consistency(old, new)]
        return {"from": old, "to": new, "proof": proof}

    def export(self, indexes: list[int], checkpoint: str) -> dict[str, object]:
        """A citizen's download: these entries proved against ``checkpoint``'s tree."""
        size = int(checkpoint.split("\n")[1])
        hashes = self.hashes(size)
        entries = [
            {
                "leaf_index": i,
                "leaf": self.leaves[i].decode(),
                "inclusion_proof": [
                    base64.b64encode(h).decode() for h in merkle.inclusion_proof(hashes, i)
                ],
            }
            for i in indexes
        ]
        return {
            "format": "silta.release-log-export/v1",
            "checkpoint": checkpoint,
            "entries": entries,
        }

    def write_export(self, path: Path, indexes: list[int], checkpoint: str) -> Path:
        path.write_text(json.dumps(self.export(indexes, checkpoint), ensure_ascii=False))
        return path
