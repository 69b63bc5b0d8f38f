"""The secret of a `client_secret_jwt` client, kept sealed: RFC 7523 §2.2 checks an HMAC, so the
broker needs the secret itself, not its hash. It is encrypted with KEY_ENCRYPTION_KEY under a
label naming its client, so a sealed secret moved to another client's row fails to open."""

from __future__ import annotations

from cryptography.exceptions import InvalidTag

from ..storage.models import Client
from .keys import seal
from .keys import unseal

# The token endpoint methods whose secret is kept sealed; the other secret methods compare a
# SHA-256 hash (storage/models/clients.py, Client.check_client_secret).
SEALED_SECRET_METHODS = ("client_secret_jwt",)


class SecretUnavailable(Exception):
    """The client has no sealed secret, or it cannot be opened here."""


def seal_secret(client_id: str, secret: str) -> str:
    return seal(_label(client_id), secret)


def open_secret(client: Client) -> str:
    """The secret of a client_secret_jwt client, opened for an HMAC check."""
    if not client.client_secret_encrypted:
        raise SecretUnavailable("The client has no stored secret.")
    try:
        return unseal(_label(client.client_id), client.client_secret_encrypted)
    except (InvalidTag, ValueError):
        # Another KEY_ENCRYPTION_KEY, or a sealed secret moved from another client's row.
        raise SecretUnavailable("The client's stored secret cannot be opened.") from None


def _label(client_id: str) -> str:
    # The AEAD label ties a sealed secret to its client: swapped between rows, it fails to open.
    return "client-secret:" + client_id
