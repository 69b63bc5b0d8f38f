"""Unbound extension singletons, bound to the issuer's app in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """The issuing authority's own models; never shared with the broker's or a bank's."""


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
