"""Unbound extension singletons, bound to each service's app in ``create_app``.

Authlib's client registry is not among them: each app gets its own (client.py), because one
process may run several services (the test suite does) and a registry holds one client per name.
"""

from __future__ import annotations

from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """A service's own models; never shared with another process."""


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
babel = Babel()
