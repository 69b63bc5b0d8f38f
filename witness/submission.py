"""The body of C2SP tlog-witness ``add-checkpoint``: ``old <size>``, proof lines, a blank line,
then the checkpoint (a signed note)."""

from __future__ import annotations

import re

from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import strict_b64decode
from silta_common.tlog.merkle import HASH_SIZE

from .errors import Malformed
from .fetch import MAX_PROOF_LINES

OLD = re.compile(r"old (0|[1-9][0-9]{0,18})")  # "no leading zeroes"


def read_submission(body: bytes) -> tuple[int, list[bytes], str]:
    """The old size, the consistency proof and the checkpoint text, or Malformed."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Malformed("The request body must be UTF-8.") from None
    head, blank, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if not blank or not OLD.fullmatch(lines[0]):
        raise Malformed("The body starts with 'old <size>', proof lines, then a blank line.")
    if len(lines) - 1 > MAX_PROOF_LINES:
        raise Malformed(f"At most {MAX_PROOF_LINES} consistency proof lines are accepted.")
    try:
        proof = [strict_b64decode(line) for line in lines[1:]]
    except KeyFormatError:
        raise Malformed("Each consistency proof line is one base64 hash.") from None
    if any(len(h) != HASH_SIZE for h in proof):
        raise Malformed(f"Each consistency proof hash is {HASH_SIZE} bytes.")
    return int(lines[0][4:]), proof, checkpoint
