"""The broker as a WSGI callable for servers other than gunicorn (granian, bjoern) in benchmarks.

The settings come from the environment (``benchmarks/prepare.py`` writes them); the schema, keys
and client must exist already, as ``silta serve`` expects too.
"""

from __future__ import annotations

from idp import create_app
from idp.ops import logs
from idp.storage import transaction

logs.configure()
app = create_app()
transaction.keep_between_requests()  # one request at a time, on the main thread, as a sync worker
