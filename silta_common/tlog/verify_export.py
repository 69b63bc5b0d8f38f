"""The citizen's offline check of a downloaded release log: ``silta-verify-log FILE --log-key
KEY --witness-key KEY`` (or ``python -m silta_common.tlog.verify_export``).

It needs nothing but the file and the published keys: it checks the log's signature on the
checkpoint, each witness's cosignature, and each entry's inclusion proof (RFC 9162 §2.1.3.2),
says in plain words what it verified, and exits 0 only if everything did (1: a check failed;
2: the file or a key could not be read).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC
from datetime import datetime
from pathlib import Path

from . import cosignature
from . import export
from . import merkle
from . import note
from .checkpoint import Checkpoint
from .checkpoint import CheckpointError
from .keys import COSIGNATURE_V1
from .keys import ED25519
from .keys import KeyFormatError
from .keys import VerifierKey

OK, FAILED, UNREADABLE = 0, 1, 2
DESCRIPTION = (
    "Check a release log downloaded from Silta's 'my data' against the log's and the "
    "witnesses' published keys. Exit status: 0 all verified, 1 a check failed, 2 unreadable."
)


def check(data: export.Export, log_key: VerifierKey, witnesses: Sequence[VerifierKey]) -> list[str]:
    """Check everything; return what was verified, or raise ValueError naming the first failure."""
    try:
        parsed = note.parse(data.checkpoint)
        note.open_note(parsed, [log_key])
    except note.NoteError as error:
        raise ValueError(
            f"The checkpoint is not signed by the log key {log_key.name}: {error}."
        ) from None
    try:
        checkpoint = Checkpoint.parse(parsed.text)
    except CheckpointError as error:
        raise ValueError(f"The checkpoint is malformed: {error}.") from None
    if checkpoint.origin != log_key.name:
        raise ValueError(f"The checkpoint is of the log {checkpoint.origin!r}, not {log_key.name}.")
    said = [
        f"✓ The log {log_key.name} signed a checkpoint of {checkpoint.size} entries "
        f"(root hash {checkpoint.root.hex()[:16]}…)."
    ]
    for witness in witnesses:
        said.append(_witnessed(parsed, witness))
    for entry in data.entries:
        try:
            leaf = merkle.leaf_hash(entry.leaf.encode("utf-8"))
            merkle.verify_inclusion(
                entry.leaf_index, checkpoint.size, leaf, entry.inclusion_proof, checkpoint.root
            )
        except merkle.ProofError as error:
            raise ValueError(
                f"Entry {entry.leaf_index} is NOT in the log as signed: {error}. Its data was "
                "changed after it was logged, or its proof is wrong."
            ) from None
        said.append(f"✓ Entry {entry.leaf_index} is in the log: {_excerpt(entry.leaf)}")
    return said


def _witnessed(parsed: note.Note, witness: VerifierKey) -> str:
    try:
        verified = note.open_note(parsed, [witness]).verified
    except note.NoteError:
        raise ValueError(
            f"The witness {witness.name} has not cosigned this checkpoint (or its "
            "cosignature does not verify): no one independent vouches for it."
        ) from None
    when = max(cosignature.unpack(signature.signature)[0] for _key, signature in verified)
    moment = datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"✓ The witness {witness.name} cosigned it at {moment}: it saw no rollback or fork."


def _excerpt(leaf: str, width: int = 72) -> str:
    flat = " ".join(leaf.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _keys(texts: Sequence[str], key_type: int, what: str) -> list[VerifierKey]:
    found = [VerifierKey.parse(text) for text in texts]
    for key in found:
        if key.key_type != key_type:
            raise KeyFormatError(f"{key.name} is not a {what} key")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="silta-verify-log", description=DESCRIPTION)
    parser.add_argument("file", type=Path, help="the JSON file downloaded from 'my data'")
    parser.add_argument("--log-key", required=True, help="the log's published verifier key")
    parser.add_argument(
        "--witness-key", action="append", default=[], required=True,
        help="a witness's published verifier key (repeat for each witness)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        [log_key] = _keys([args.log_key], ED25519, "log (Ed25519)")
        witnesses = _keys(args.witness_key, COSIGNATURE_V1, "witness (cosignature/v1)")
        data = export.load(args.file)
    except (KeyFormatError, export.ExportError) as error:
        print(f"Cannot check {args.file}: {error}.", file=sys.stderr)
        return UNREADABLE
    try:
        said = check(data, log_key, witnesses)
    except ValueError as error:
        print(f"✗ {error}", file=sys.stderr)
        print("The check FAILED: do not trust this log's record.", file=sys.stderr)
        return FAILED
    print("\n".join(said))
    print(
        f"All {len(data.entries)} entries of {args.file.name} are in the log, as signed by "
        f"{log_key.name} and cosigned by {len(witnesses)} witness(es)."
    )
    return OK


if __name__ == "__main__":
    sys.exit(main())
