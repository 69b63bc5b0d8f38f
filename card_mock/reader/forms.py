"""The bridge's forms (Flask-WTF: each carries a CSRF token). PINs are PasswordFields.

A PasswordField never writes its value back into the page, so a PIN is not echoed even when
the form is shown again with an error. Each validator's message is the i18n key of its error.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import EqualTo
from wtforms.validators import Length
from wtforms.validators import Regexp

CARD = [DataRequired("error.card"), Regexp(r"^\d{10}$", message="error.card")]
PIN = [DataRequired("error.pin"), Regexp(r"^\d{4,12}$", message="error.pin")]
NEW_PIN = [DataRequired("error.new_pin"), Regexp(r"^\d{4,12}$", message="error.new_pin")]
PIN_AGAIN = [DataRequired("error.pin_mismatch"), EqualTo("new_pin", "error.pin_mismatch")]
# README "The PIN-reset desk": 12 Crockford base32 characters, typed with or without dashes.
CODE = [DataRequired("error.code"), Length(max=20, message="error.code")]


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


def error_list(form: FlaskForm) -> list[tuple[str, str]]:
    """(field id, message key) of every field error, in the form's order, CSRF excluded."""
    return [
        (field.id, field.errors[0])
        for field in form
        if field.errors and field.name != "csrf_token" and isinstance(field.errors[0], str)
    ]
