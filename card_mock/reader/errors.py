"""One error tree for the bridge, on silta_common's base, shown in one place: JSON on /api.

Each error has a code (the contract's, where it names one), a message for people and an HTTP
status. Every error shown gets an error id that is also logged, never a stack trace, and no
message here ever carries a PIN or a reset code.
"""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from silta_common.errors import ErrorPages
from silta_common.errors import SiltaError
from silta_common.errors import machine_request
from silta_common.errors import register_error_handlers as register_common_handlers


class ReaderError(SiltaError):
    """An error with a code, a message for people and an HTTP status."""

    message = _l("The request could not be understood.")


class OriginNotAllowed(ReaderError):
    """The page was opened for an origin that is not among READER_ALLOWED_ORIGINS."""

    status = 403
    code = "origin_not_allowed"
    message = _l(
        "This page was opened by a site that this card reader does not serve. Nothing was signed."
    )


class BadChallenge(ReaderError):
    """The challenge is not the standard base64 of 32 bytes."""

    code = "bad_challenge"
    message = _l("The identification request is not valid. Go back to the site and start again.")


class NoCard(ReaderError):
    """No usable card with this serial is in the reader."""

    status = 404
    code = "no_card"
    message = _l("This card is not in the reader.")


class CardLocked(ReaderError):
    """The card's PIN tries are spent: it refuses until it is unblocked."""

    status = 409
    code = "card_locked"
    message = _l(
        "The PIN was typed wrong three times, so the card is locked. Visit a PIN-reset desk "
        "with an identity document: you get a one-time reset code there, and then you choose "
        "a new PIN yourself in this card reader."
    )


class WrongPin(ReaderError):
    """The card refused the PIN; `tries_left` tries remain."""

    code = "wrong_pin"

    def __init__(self, tries_left: int) -> None:
        super().__init__(f"wrong PIN, {tries_left} tries left")
        self.tries_left = tries_left
        self.message = lazy_ngettext(
            "The PIN is wrong. %(tries)s try left before the card locks.",
            "The PIN is wrong. %(tries)s tries left before the card locks.",
            tries_left,
            tries=tries_left,
        )


class ResetBlocked(ReaderError):
    """Too many wrong reset codes: the card can no longer be unblocked, only replaced."""

    status = 409
    code = "reset_blocked"
    message = _l(
        "Too many wrong reset codes: this card can no longer be unblocked. Ask the card "
        "authority for a new card."
    )


class InvalidResetCode(ReaderError):
    """The authority refused the reset code (wrong, used, expired or another card's)."""

    code = "invalid_code"

    def __init__(self, tries_left: int = 0) -> None:
        super().__init__(f"reset code refused, {tries_left} tries left")
        self.tries_left = tries_left
        self.message = lazy_ngettext(
            "The reset code is wrong, already used or expired. %(tries)s try left.",
            "The reset code is wrong, already used or expired. %(tries)s tries left.",
            tries_left,
            tries=tries_left,
        )


class IssuerUnavailable(ReaderError):
    """The card authority did not answer the reset-code check in time, or not as agreed."""

    status = 503
    code = "issuer_unavailable"
    message = _l(
        "The card authority cannot be reached. Nothing on the card changed: try again in a moment."
    )


class CardFailed(ReaderError):
    """The token refused an operation it should have done; nothing on the card changed."""

    status = 500
    code = "card_failed"
    message = _l(
        "The card did not do what was asked. Nothing on it changed. Try again, and if it "
        "fails again, ask the card authority."
    )


def _page(error: SiltaError, error_id: str) -> Response:
    from .web import render_page

    return render_page("error.html", message=error.message, error_id=error_id)


def register_error_handlers(app: Flask) -> None:
    """Route every error to one renderer."""
    register_common_handlers(
        app,
        ReaderError,
        ErrorPages.of(
            ReaderError,
            form_expired=_l("This form has expired. Go back, reload the page and try again."),
            not_found=_l("This page does not exist."),
            unexpected=_l("Something went wrong in the card reader. Please try again."),
        ),
        render=_page,
        wants_json=machine_request(prefixes=("/api/",)),
    )
