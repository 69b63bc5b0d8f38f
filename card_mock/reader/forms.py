"""The bridge's forms (Flask-WTF: each carries a CSRF token). PINs are PasswordFields.

A PasswordField never writes its value back into the page, so a PIN is not echoed even when
the form is shown again with an error. Each validator's message is its error, translated when
the page shows it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import EqualTo
from wtforms.validators import Length
from wtforms.validators import Regexp

CARD_ERROR = _l("Choose a card.")
PIN_ERROR = _l("Type the PIN: 4 to 12 digits.")
NEW_PIN_ERROR = _l("Type a new PIN of 4 to 12 digits.")
PIN_AGAIN_ERROR = _l("The new PINs are not the same. Type the new PIN twice.")
CODE_ERROR = _l("Type the reset code: 12 letters and digits.")
CARD = [DataRequired(CARD_ERROR), Regexp(r"^\d{10}$", message=CARD_ERROR)]
PIN = [DataRequired(PIN_ERROR), Regexp(r"^\d{4,12}$", message=PIN_ERROR)]
NEW_PIN = [DataRequired(NEW_PIN_ERROR), Regexp(r"^\d{4,12}$", message=NEW_PIN_ERROR)]
PIN_AGAIN = [DataRequired(PIN_AGAIN_ERROR), EqualTo("new_pin", PIN_AGAIN_ERROR)]
# README "The PIN-reset desk": 12 Crockford base32 characters, typed with or without dashes.
CODE = [DataRequired(CODE_ERROR), Length(max=20, message=CODE_ERROR)]


class SignForm(FlaskForm):
    """Identify at a broker: which card, its PIN (origin and challenge ride along hidden)."""

    origin = HiddenField()
    challenge = HiddenField()
    card = StringField(validators=CARD)
    pin = PasswordField(validators=PIN)


class CancelForm(FlaskForm):
    """Cancel the identification (CSRF-checked like the rest)."""

    origin = HiddenField()
    challenge = HiddenField()


class ChangePinForm(FlaskForm):
    """Change the PIN: the current one, the new one twice."""

    card = StringField(validators=CARD)
    old_pin = PasswordField(validators=PIN)
    new_pin = PasswordField(validators=NEW_PIN)
    new_pin_again = PasswordField(validators=PIN_AGAIN)


class UnblockForm(FlaskForm):
    """Unblock with the desk's one-time reset code and a new PIN typed twice."""

    card = StringField(validators=CARD)
    code = StringField(validators=CODE)
    new_pin = PasswordField(validators=NEW_PIN)
    new_pin_again = PasswordField(validators=PIN_AGAIN)


def error_list(form: FlaskForm) -> list[tuple[str, object]]:
    """(field id, message) of every field error, in the form's order, CSRF excluded."""
    return [
        (field.id, field.errors[0]) for field in form if field.errors and field.name != "csrf_token"
    ]
