"""Unbound extension singletons, bound to an app in ``create_app``."""

import sqlalchemy as sa
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import registry


class Base(DeclarativeBase):
    # Unix times outlive 2038 only in 64 bits; SQLite's INTEGER is already 64-bit and is the
    # only type it auto-increments.
    registry = registry(
        type_annotation_map={int: sa.BigInteger().with_variant(sa.Integer(), "sqlite")}
    )


db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
