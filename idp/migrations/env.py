"""Alembic environment: runs on the connection the broker hands over (see idp/ops/database.py)."""

from alembic import context

from idp.extensions import db
from idp.storage import models  # noqa: F401 - registers the tables on the metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
