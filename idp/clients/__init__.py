"""Client registrations: validated once, stored in the database, shared by every node.

Sources are a TOML file (``[[clients]]`` tables, imported by ``silta clients import`` and at
start-up from CLIENTS_FILE) and ``silta clients add``. Both go through ``register``; what a
registration must meet is the table of named checks in ``checks.py``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ..audit import events
from ..extensions import db
from ..hashing import digest
from ..hashing import new_secret
from ..oidc.client_secrets import SEALED_SECRET_METHODS
from ..oidc.client_secrets import seal_secret
from ..storage import transaction
from ..storage.models import Client
from . import checks
from .reading import AUTH_METHODS as AUTH_METHODS
from .reading import REGISTRATION_FIELDS
from .reading import SECRET_METHODS
from .reading import fields


class ClientError(ValueError):
    """A registration that cannot be accepted; the message says what to change."""

    def __init__(self, message: str, check: str | None = None) -> None:
        super().__init__(message)
        self.check = check  # the name of the check it failed, if one did


def validate(data: dict[str, Any]) -> dict[str, Any]:
    """Check a registration and return its normalised fields (no secret yet)."""
    failed = checks.first_failure(data)
    if failed is not None:
        check, message = failed
        raise ClientError(message, check=check.name)
    return fields(data)


def register(data: dict[str, Any]) -> tuple[Client, str | None]:
    """Create or update a registration; return it and a generated secret, shown only this once.

    An update that names no secret keeps the stored one, so re-importing a file changes nothing
    the service holds.
    """
    stored = validate(data)
    client_id, method = stored["client_id"], stored["token_endpoint_auth_method"]
    client = db.session.get(Client, client_id)
    secret, generated = data.get("client_secret"), None
    kept = _stored_secret(client, method) if secret is None else None
    if method not in SECRET_METHODS:
        secret_hash = sealed = None
    elif kept is not None:
        secret_hash, sealed = kept
    else:
        if secret is None:
            secret = generated = new_secret(32)
        sealed = seal_secret(client_id, secret) if method in SEALED_SECRET_METHODS else None
        secret_hash = None if sealed else digest(secret)
    if client is None:
        client = Client(**stored)
        db.session.add(client)
    else:
        for key, value in stored.items():
            setattr(client, key, value)
    client.client_secret_hash = secret_hash
    client.client_secret_encrypted = sealed
    transaction.commit()
    events.emit(events.CLIENT_REGISTERED, client_id=client.client_id)
    return client, generated


def _stored_secret(client: Client | None, method: str) -> tuple[str | None, str | None] | None:
    """The stored (hash, sealed secret) an update keeps, if it still suits the method."""
    if client is None:
        return None
    if method in SEALED_SECRET_METHODS:
        return (None, client.client_secret_encrypted) if client.client_secret_encrypted else None
    return (client.client_secret_hash, None) if client.client_secret_hash else None


def import_file(path: Path) -> list[str]:
    """Register every ``[[clients]]`` table of a TOML file; all or nothing."""
    try:
        document = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ClientError(f"Cannot read {path}: {error}") from None
    entries = document.get("clients", [])
    if not isinstance(entries, list):
        raise ClientError(f"{path}: 'clients' must be an array of tables ([[clients]]).")
    for number, entry in enumerate(entries, start=1):
        try:
            validate(entry)  # check all before storing any
        except ClientError as error:
            name = entry.get("client_id", "?") if isinstance(entry, dict) else "?"
            raise ClientError(f"{path}: entry {number} ({name}): {error}", error.check) from None
    return [register(entry)[0].client_id for entry in entries]


def remove(client_id: str) -> bool:
    client = db.session.get(Client, client_id)
    if client is None:
        return False
    db.session.delete(client)
    transaction.commit()
    events.emit(events.CLIENT_REMOVED, client_id=client_id)
    return True


def describe(client: Client) -> dict[str, Any]:
    """A registration as an operator may see it: everything but the secret, hashed or sealed."""
    return {key: getattr(client, key) for key in REGISTRATION_FIELDS}
