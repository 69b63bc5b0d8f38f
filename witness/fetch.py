"""Fetching from a log: its latest checkpoint and consistency proofs, each fetch bounded.

The log's side of the interface (README, docs/transparency-log.md):
``GET <checkpoint_url>`` answers the latest checkpoint as a signed note (text/plain), and
``GET <consistency_url>?from=N&to=M`` answers ``{"from": N, "to": M, "proof": [base64, ...]}``.
"""

from __future__ import annotations

import json
import time

import requests

from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import strict_b64decode
from silta_common.tlog.merkle import HASH_SIZE

from .logs import WitnessedLog

MAX_PROOF_LINES = 63  # C2SP tlog-witness: at most 63 consistency proof lines


class FetchFailed(Exception):
    """The log could not be asked or answered nothing usable; not evidence of misbehaviour."""


def _get(url: str, timeout: float, limit: int, params: dict[str, int] | None = None) -> bytes:
    """GET ``url``: a 200 within ``timeout`` per step and twice that overall, at most ``limit``."""
    started = time.monotonic()
    try:
        with requests.get(
            url, params=params, timeout=(timeout, timeout), stream=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                raise FetchFailed(f"{url} answered HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_content(8192):
                body += chunk
                if len(body) > limit:
                    raise FetchFailed(f"{url} answered more than {limit} bytes")
                if time.monotonic() - started > 2 * timeout:
                    raise FetchFailed(f"{url} took longer than {2 * timeout:g} s")
            return body
    except requests.RequestException as error:
        raise FetchFailed(f"{url} could not be fetched: {type(error).__name__}") from None


def checkpoint(log: WitnessedLog, timeout: float, limit: int) -> bytes:
    """The log's latest checkpoint, as it served it."""
    return _get(log.checkpoint_url, timeout, limit)


def consistency(log: WitnessedLog, old: int, new: int, timeout: float, limit: int) -> list[bytes]:
    """The log's consistency proof from size ``old`` to ``new``, its hashes decoded."""
    body = _get(log.consistency_url, timeout, limit, {"from": old, "to": new})
    try:
        answer = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FetchFailed(f"{log.consistency_url} answered no JSON") from None
    if not isinstance(answer, dict) or (answer.get("from"), answer.get("to")) != (old, new):
        raise FetchFailed(f"{log.consistency_url} answered for other sizes than {old}, {new}")
    proof = answer.get("proof")
    if not isinstance(proof, list) or len(proof) > MAX_PROOF_LINES:
        raise FetchFailed(f"{log.consistency_url} answered no list of proof hashes")
    try:
        hashes = [strict_b64decode(h) if isinstance(h, str) else b"" for h in proof]
    except KeyFormatError:
        raise FetchFailed(f"{log.consistency_url} answered a hash that is not base64") from None
    if any(len(h) != HASH_SIZE for h in hashes):
        raise FetchFailed(f"{log.consistency_url} answered a hash of the wrong length")
    return hashes
