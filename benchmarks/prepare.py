"""Prepare a broker for the SSO round-trip benchmark: database, keys, client, logged-in citizens.

Usage: python benchmarks/prepare.py DIR [--sessions N] [--database-url URL] [--alg ES256]

Writes into DIR: ``env`` (the broker's SILTA_* settings, sourced by serve.sh) and ``sessions``
(one Cookie header value per line: a citizen logged in who has consented to the bench client).
The benchmark measures what happens after login, so the sessions are made here through the
broker's own services (person, login session, remembered consent), as a completed login leaves
them; each is a different citizen, as in real traffic, so no release-log chain is shared.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import time
from pathlib import Path

CLIENT_ID = "bench-client"
CLIENT_SECRET = "bench-secret-" + "b" * 32  # registrations need >= 32 characters
REDIRECT_URI = "http://127.0.0.1:9999/cb"
PORT = 4003


def settings(folder: Path, database_url: str) -> dict[str, str]:
    return {
        "SILTA_ISSUER": f"http://127.0.0.1:{PORT}",
        "SILTA_DATABASE_URL": database_url or f"sqlite:///{folder / 'silta.db'}",
        "SILTA_INSTANCE_PATH": str(folder / "instance"),
        "SILTA_SECRET_KEY": secrets.token_urlsafe(32),
        "SILTA_PAIRWISE_SECRET": secrets.token_urlsafe(32),
        "SILTA_KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SILTA_SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "SILTA_SESSION_LIFETIME": "86400",
        "SILTA_NODE_NAME": "bench",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sessions", type=int, default=3000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--alg", default="ES256", choices=["ES256", "RS256"])
    args = parser.parse_args()
    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    env = settings(folder, args.database_url)
    os.environ.update(env)
    (folder / "env").write_text("".join(f"export {k}='{v}'\n" for k, v in env.items()))

    from idp import create_app
    from idp.extensions import db

    app = create_app()
    cookies = []
    with app.app_context():
        schema_keys_and_client(args.alg)
        for number in range(1, args.sessions + 1):
            cookies.append(logged_in_citizen(app))
            if number % 250 == 0 or number == args.sessions:
                db.session.commit()  # in batches: one commit each would take minutes
    (folder / "sessions").write_text("".join(c + "\n" for c in cookies))
    print(f"Prepared {folder}: {len(cookies)} sessions, client {CLIENT_ID}, {args.alg}")


def schema_keys_and_client(alg: str) -> None:
    """Schema, signing keys and the `bench-client` registration (once); in an app context."""
    from idp import clients
    from idp.extensions import db
    from idp.oidc import keys
    from idp.ops import database
    from idp.storage.models import Client

    database.upgrade()
    keys.ensure_keys()
    if db.session.get(Client, CLIENT_ID) is None:
        clients.register(
            dict(
                client_id=CLIENT_ID,
                name="Benchmark service",
                redirect_uris=[REDIRECT_URI],
                token_endpoint_auth_method="client_secret_basic",
                client_secret=CLIENT_SECRET,
                allowed_scopes=["openid", "profile"],
                allowed_claims=["given_name", "family_name", "name", "birthdate"],
                id_token_signed_response_alg=alg,
                grant_types=["authorization_code"],
            )
        )


def logged_in_citizen(app) -> str:
    """What a completed login and a remembered consent leave behind: the Cookie header value.

    In an app context; the caller commits.
    """
    from flask import g

    from idp import accounts
    from idp import assurance
    from idp import sessions
    from idp.authenticators.base import AuthnResult
    from idp.consent import service as consent

    g.pop(sessions._CACHE, None)  # a new browser each time: no session to replace
    with app.test_request_context("/"):
        result = AuthnResult(
            method="bench",
            issuer="urn:silta:bench",
            subject=secrets.token_hex(16),
            acr=assurance.FTN_LOA2,
            amr=("pwd", "otp", "mfa"),
            auth_time=int(time.time()),
            attributes={"given_name": "Bench", "family_name": "Citizen"},
        )
        person = accounts.link(result)
        sessions.start(person, result)
        claims = frozenset({"given_name", "family_name", "name", "birthdate"})
        consent.decide(
            person.id,
            CLIENT_ID,
            essential=frozenset(),
            voluntary=claims,
            chosen=set(claims),
            remember=True,
        )
        response = app.process_response(app.make_response(""))
    cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith(sessions.COOKIE + "=")
    )
    return cookie.split(";", 1)[0]


if __name__ == "__main__":
    main()
