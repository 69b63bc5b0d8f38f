"""Unbound extension singletons, bound to the witness's app in ``create_app``."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The witness's own models; never shared with the log it witnesses."""


db = SQLAlchemy(model_class=Base)
