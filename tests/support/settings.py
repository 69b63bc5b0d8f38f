"""Configuration the test suite runs the broker with."""

from __future__ import annotations

import base64
import os

TEST_SECRETS = {
    "SECRET_KEY": "test-secret-key-" + "s" * 32,
    "PAIRWISE_SECRET": "test-pairwise-" + "p" * 32,
    "KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(b"k" * 32).decode(),
}


def database_server() -> str:
    """The PostgreSQL server of the second run (SILTA_TEST_DATABASE_URL), or "" for SQLite."""
    return os.environ.get("SILTA_TEST_DATABASE_URL", "")


def test_config(database: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "DEV_AUTHENTICATOR": True,
        "DATABASE_URL": database,
        "SESSION_COOKIE_SECURE": False,
        **TEST_SECRETS,
        **overrides,
    }
