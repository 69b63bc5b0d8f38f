"""The issuer's forms (Flask-WTF: every one carries a CSRF token). None has a PIN field."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import PasswordField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length
from wtforms.validators import Regexp

CARD_SERIAL = Regexp(r"^\d{10}$")


class LostCardForm(FlaskForm):
    """A citizen (or an official on their behalf) reports a card lost."""

    serial = StringField(validators=[DataRequired(), CARD_SERIAL])
    national_id = StringField(validators=[DataRequired(), Length(11, 11)])


class DeskLoginForm(FlaskForm):
    """An official logs in to the PIN-reset desk."""

    official_id = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=200)])


class ResetAuthoriseForm(FlaskForm):
    """An official authorises a PIN reset after checking the holder in person."""

    card_serial = StringField(validators=[DataRequired(), CARD_SERIAL])
    identity_checked = BooleanField(validators=[DataRequired()])


class LogoutForm(FlaskForm):
    """Log out of the desk (a POST, so no other site can log an official out)."""
