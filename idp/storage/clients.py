"""Client registrations as the protocol reads them, kept per process for CLIENT_RELOAD_SECONDS.

Every authorize, token and userinfo request needs its client. A registration changes rarely and
only through `silta clients` (or the CLIENTS_FILE import at start), so each process keeps the
``Client`` it built from the row and reads the row again once it is CLIENT_RELOAD_SECONDS old:
that is how long a change made on one node (or by the command) takes to reach the others, the
same kind of bound KEY_RELOAD_SECONDS puts on key rotation. A change written through this
process's own ORM session is seen at once: the session's flush drops this process's copies.
An unknown client id is not remembered, so a flood of made-up ids cannot fill memory and a
newly registered client is served as soon as it is stored.
"""

from __future__ import annotations

import threading
import time
import weakref

import sqlalchemy as sa
from flask import Flask
from flask import current_app
from sqlalchemy.orm import Session
from sqlalchemy.orm import make_transient_to_detached

from . import transaction
from .models import Client

_TABLE = Client.__table__
_BY_ID = sa.select(*_TABLE.columns).where(_TABLE.c.client_id == sa.bindparam("client_id"))
_EXTENSION = "silta.clients"


class ClientCache:
    """This process's clients by id, each with the time it was read."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[float, Client]] = {}

    def get(self, client_id: str) -> Client | None:
        kept = self._clients.get(client_id)
        max_age = current_app.config["CLIENT_RELOAD_SECONDS"]
        if kept is not None and time.monotonic() - kept[0] < max_age:
            return kept[1]
        row = transaction.connection().execute(_BY_ID, {"client_id": client_id}).first()
        if row is None:
            self._clients.pop(client_id, None)
            return None
        client = Client(**row._asdict())
        # Detached and never added to a session: read-only, shared by this process's threads.
        make_transient_to_detached(client)
        with self._lock:
            self._clients[client_id] = (time.monotonic(), client)
        return client

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()


_caches: weakref.WeakSet[ClientCache] = weakref.WeakSet()  # one per app (tests build several)
_CHANGED = "silta.clients_changed"


def init_app(app: Flask) -> None:
    cache = ClientCache()
    app.extensions[_EXTENSION] = cache
    _caches.add(cache)


def load(client_id: str) -> Client | None:
    """The client registered as ``client_id``; None if there is none."""
    cache: ClientCache = current_app.extensions[_EXTENSION]
    return cache.get(client_id)


def every_client() -> list[Client]:
    """Every registration, by client id (for the operator's listing)."""
    rows = transaction.db.session.execute(sa.select(Client).order_by(Client.client_id))
    return list(rows.scalars())


def by_ids(client_ids: list[str]) -> dict[str, Client]:
    """The registrations of these ids that exist, as ORM rows, by id."""
    rows = transaction.db.session.execute(sa.select(Client).where(Client.client_id.in_(client_ids)))
    return {client.client_id: client for client in rows.scalars()}


@sa.event.listens_for(Session, "before_flush")
def _note_changed_clients(session: Session, _context: object, _instances: object) -> None:
    touched = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, Client) for obj in touched):
        session.info[_CHANGED] = True
        _clear_all()


@sa.event.listens_for(Session, "after_commit")
def _forget_changed_clients(session: Session) -> None:
    """A registration changed by this process is served changed from its next request on."""
    if session.info.pop(_CHANGED, False):
        _clear_all()  # again: a request may have read the old row between flush and commit


def _clear_all() -> None:
    for cache in list(_caches):
        cache.clear()
