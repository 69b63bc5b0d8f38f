"""Demo credentials: in debug, a broker, a reader bridge, an operator and a desk official.

Their secrets are generated once into the instance's ``demo-secrets.json`` (0600) and printed
by ``silta-card issuer run`` so the demo can be driven by hand. Never outside debug.
"""

from __future__ import annotations

from pathlib import Path

from silta_common.settings import demo_secret

from .passwords import hash_secret
from .verifiers import HOLDERS_READ
from .verifiers import OPERATOR_PERMISSIONS
from .verifiers import RESET_CODES_VERIFY
from .verifiers import hash_api_key

DEMO_BROKER, DEMO_READER, DEMO_OFFICIAL = "silta-broker", "silta-reader", "demo-official"
DEMO_OPERATOR = "silta-operator"  # `silta card …` on the broker's side (views/api.py)


def demo_verifiers(instance: Path) -> list[dict]:
    """The broker (holder look-ups), the reader bridge (reset codes) and the operator."""
    return [
        {
            "id": DEMO_BROKER,
            "api_key_sha256": hash_api_key(demo_secret(instance, "BROKER_API_KEY")),
            "permissions": [HOLDERS_READ],
        },
        {
            "id": DEMO_READER,
            "api_key_sha256": hash_api_key(demo_secret(instance, "READER_API_KEY")),
            "permissions": [RESET_CODES_VERIFY],
        },
        {
            "id": DEMO_OPERATOR,
            "api_key_sha256": hash_api_key(demo_secret(instance, "OPERATOR_API_KEY")),
            "permissions": list(OPERATOR_PERMISSIONS),
        },
    ]


def demo_officials(instance: Path) -> list[dict]:
    """One desk official."""
    return [
        {
            "id": DEMO_OFFICIAL,
            "name": "Demo Official",
            "password_hash": hash_secret(demo_secret(instance, "DESK_PASSWORD")),
        }
    ]


def demo_credentials(instance: Path) -> dict[str, str]:
    """What `issuer run` prints in debug: who is who and their secrets."""
    return {
        f"{DEMO_BROKER} API key": demo_secret(instance, "BROKER_API_KEY"),
        f"{DEMO_READER} API key": demo_secret(instance, "READER_API_KEY"),
        f"{DEMO_OPERATOR} API key": demo_secret(instance, "OPERATOR_API_KEY"),
        f"{DEMO_OFFICIAL} desk password": demo_secret(instance, "DESK_PASSWORD"),
    }
