"""Unbound extension singletons, bound to an app in ``create_app``."""

from flask_babel import Babel

from .framework import CSRFProtect
from .storage.transaction import db as db  # the database binding lives with its transaction

babel = Babel()
csrf = CSRFProtect()
