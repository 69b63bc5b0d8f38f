"""What a refused card login tells the citizen: each failure code belongs to one plain kind.

The kind picks the explanation and the way forward on the failure page (ic_card_failed.html):
a locked card is unblocked in the reader app after a visit to a service desk, a revoked or
expired card is replaced, an unreachable authority is tried again later, and every page offers
the other methods.
"""

from __future__ import annotations

# Errors the reader bridge reports to the page (the contract's `silta-reader:error` codes).
READER_ERRORS = {"card_locked": "locked", "no_card": "no_card"}

KINDS: dict[str, tuple[str, ...]] = {
    "locked": ("card_locked",),
    "no_card": ("card_no_card",),
    "revoked": ("card_revoked",),
    "expired": ("card_expired",),
    "not_yet_valid": ("card_not_yet_valid",),
    "unavailable": (
        "card_ocsp_unavailable",
        "card_ocsp_stale",
        "card_authority_unavailable",
    ),
    "unknown_card": ("card_holder_unknown", "card_holder_invalid", "card_status_unknown"),
    "not_accepted": (
        "card_untrusted",
        "card_key_usage",
        "card_extended_key_usage",
        "card_no_ocsp_responder",
        "card_algorithm_mismatch",
    ),
    "too_many": ("card_too_many_attempts",),
}
_BY_CODE = {code: kind for kind, codes in KINDS.items() for code in codes}


def failure_kind(code: str) -> str:
    """The kind of a failure code; anything else means the answer could not be verified."""
    if code == "card_reader_error":
        return "reader_error"
    return _BY_CODE.get(code, "not_verified")
