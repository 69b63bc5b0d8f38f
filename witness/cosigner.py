"""Check a log's checkpoint against the last one cosigned and cosign it (C2SP tlog-witness).

``read_checkpoint`` verifies a checkpoint's origin and the log's signature; ``cosign`` checks
consistency with the latest cosigned checkpoint (RFC 9162 §2.1.4.2), cosigns (cosignature/v1)
and records it by a conditional update, so two requests never both move one log's state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from silta_common.tlog import merkle
from silta_common.tlog import note
from silta_common.tlog.checkpoint import Checkpoint
from silta_common.tlog.checkpoint import CheckpointError
from silta_common.tlog.keys import SignerKey

from . import alarms
from . import errors
from .extensions import db
from .logs import WitnessedLog
from .models import MAX_ORIGIN
from .models import MAX_SIZE
from .models import Cosignature
from .models import LogState

log = logging.getLogger("silta.witness")


@dataclass(frozen=True)
class Submitted:
    """A checkpoint whose origin is witnessed here and whose signature is the log's."""

    log: WitnessedLog
    checkpoint: Checkpoint
    note: note.Note


def read_checkpoint(logs: Mapping[str, WitnessedLog], text: str | bytes) -> Submitted:
    """Parse a signed checkpoint and verify the log's signature, or raise a WitnessError."""
    try:
        parsed = note.parse(text)
        checkpoint = Checkpoint.parse(parsed.text)
    except (note.NoteError, CheckpointError) as error:
        raise errors.Malformed(f"The checkpoint cannot be read: {error}.") from None
    witnessed = logs.get(checkpoint.origin)
    if witnessed is None:
        raise errors.UnknownOrigin(f"This witness does not witness {checkpoint.origin!r}.")
    try:
        note.open_note(parsed, witnessed.keys)
    except note.NoteError as error:
        raise errors.BadSignature(f"The checkpoint is not signed by the log: {error}.") from None
    if checkpoint.size > MAX_SIZE:
        raise errors.Malformed("This witness keeps tree sizes up to 2^63-1.")
    if checkpoint.size == 0 and checkpoint.root != merkle.EMPTY_ROOT:
        raise errors.Malformed("An empty tree's root hash is SHA-256 of nothing (RFC 9162).")
    return Submitted(witnessed, checkpoint, parsed)


def latest(origin: str) -> LogState | None:
    """The latest checkpoint cosigned for ``origin``, if any."""
    # A note holds no control characters (C2SP signed-note), so no origin does: such a
    # query names no log, and PostgreSQL refuses NUL in text.
    if len(origin) > MAX_ORIGIN or any(c < " " for c in origin):
        return None
    return db.session.get(LogState, origin)


def cosign(
    submitted: Submitted,
    old_size: int,
    proof: Sequence[bytes],
    signer: SignerKey,
    *,
    proof_from_log: bool,
) -> note.Signature:
    """Cosign a checkpoint consistent with the latest cosigned one, or raise (and alarm).

    A proof that fails is an alarm only if the log served it (``proof_from_log``): a pushed
    proof is signed by no one, and anyone may push a public checkpoint with a wrong one.
    """
    checkpoint, origin = submitted.checkpoint, submitted.log.origin
    state = latest(origin)
    current = state.size if state else 0
    if old_size > checkpoint.size:  # tlog-witness: 400
        _check_history(submitted)
        raise errors.Malformed(f"The old size {old_size} is larger than the checkpoint's.")
    if old_size != current:  # tlog-witness: 409 with the size cosigned
        raise errors.Conflict(f"The latest cosigned size is {current}, not {old_size}.", current)
    if state is not None:
        _check_consistent(submitted, state, proof, proof_from_log)
    elif proof:
        raise errors.InconsistentProof("A proof from the empty tree must be empty.")
    return _record(submitted, state, signer)


def _check_consistent(
    submitted: Submitted, state: LogState, proof: Sequence[bytes], proof_from_log: bool
) -> None:
    checkpoint, evidence = submitted.checkpoint, str(submitted.note)
    if checkpoint.size == state.size and checkpoint.root != state.root:
        detail = f"A second root hash for size {state.size}: the log has forked."
        alarms.raise_alarm(state.origin, alarms.FORK, detail, f"{evidence}\n{state.checkpoint}")
        raise errors.Fork(detail)
    try:
        merkle.verify_consistency(state.size, checkpoint.size, state.root, checkpoint.root, proof)
    except merkle.ProofError as error:
        detail = f"Size {checkpoint.size} is not proved to extend size {state.size}: {error}."
        if proof_from_log:
            alarms.raise_alarm(
                state.origin, alarms.INCONSISTENT, detail, f"{evidence}\n{state.checkpoint}"
            )
        else:
            log.warning("witness.refused origin=%s detail=%s", state.origin, detail)
        raise errors.InconsistentProof(detail) from None


def _check_history(submitted: Submitted) -> None:
    """An older checkpoint must match what was cosigned at its size, if anything was."""
    checkpoint = submitted.checkpoint
    earlier = db.session.scalars(
        db.select(Cosignature).where(
            Cosignature.origin == submitted.log.origin, Cosignature.size == checkpoint.size
        )
    ).first()
    if earlier is not None and earlier.root != checkpoint.root:
        detail = f"A second root hash for size {checkpoint.size}: the log has forked."
        evidence = f"{submitted.note}\n{earlier.checkpoint}"
        alarms.raise_alarm(submitted.log.origin, alarms.FORK, detail, evidence)
        raise errors.Fork(detail)


def _record(submitted: Submitted, state: LogState | None, signer: SignerKey) -> note.Signature:
    """Sign and store atomically: a conditional update, so a concurrent change loses."""
    checkpoint, origin = submitted.checkpoint, submitted.log.origin
    now = int(time.time())
    body = submitted.note.text
    cosignature = note.Signature(signer.name, signer.verifier.key_id, signer.sign(body, now))
    cosigned = note.add_signatures(str(submitted.note), [cosignature])
    values = dict(size=checkpoint.size, root=checkpoint.root, checkpoint=cosigned, cosigned_at=now)
    if state is None:
        db.session.add(LogState(origin=origin, **values))
    else:
        moved = db.session.execute(
            db.update(LogState)
            .where(
                LogState.origin == origin,
                LogState.size == state.size,
                LogState.root == state.root,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            raise _lost(origin)
    if state is None or state.size != checkpoint.size:
        # History grows with the tree only: the same checkpoint pushed again (anyone can)
        # refreshes the latest cosignature, not the history.
        db.session.add(
            Cosignature(
                origin=origin, size=checkpoint.size, root=checkpoint.root, checkpoint=cosigned,
                timestamp=now,
            )
        )  # fmt: skip
    try:
        db.session.commit()
    except IntegrityError:  # a first checkpoint for this log, cosigned meanwhile
        raise _lost(origin) from None
    log.info("witness.cosigned origin=%s size=%s", origin, checkpoint.size)
    return cosignature


def _lost(origin: str) -> errors.Conflict:
    """Another request moved the log's state first: a 409 naming the size it cosigned."""
    db.session.rollback()
    winner = latest(origin)
    return errors.Conflict(
        "Another checkpoint was cosigned meanwhile.", winner.size if winner else 0
    )
