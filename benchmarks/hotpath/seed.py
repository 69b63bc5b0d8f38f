"""A broker for the in-process driver: keys, one `client_secret_basic` client, logged-in citizens.

Logging in goes through a bank or the ID card, which a benchmark cannot drive, so this module
writes what a completed login writes: the person (through ``accounts.link``, as every method
does), a login session row whose cookie token is returned, and a remembered consent grant
(through ``consent.decide``). The hot path under test then reads them as it reads a real
login's. (The side-by-side run uses ``benchmarks/prepare.py``, which does the same.)
"""

from __future__ import annotations

import os
import time

from idp import accounts
from idp import clients
from idp import database
from idp.authenticators.base import AuthnResult
from idp.consent import service as consent
from idp.extensions import db
from idp.hashing import digest
from idp.hashing import new_secret
from idp.oidc import keys
from idp.oidc.claims import SCOPE_CLAIMS
from idp.storage.models import Client
from idp.storage.models import LoginSession
from idp.storage.models import now

CLIENT_ID = os.environ.get("SUBJECT_CLIENT_ID", "bench-client")
CLIENT_SECRET = os.environ.get("SUBJECT_CLIENT_SECRET", "bench-secret-" + "b" * 32)
REDIRECT_URI = os.environ.get("SUBJECT_REDIRECT_URI", "http://127.0.0.1:9999/cb")
LOA2 = "http://ftn.ficora.fi/2017/loa2"
PROFILE = sorted(SCOPE_CLAIMS["profile"])


def prepare(app, alg: str = "ES256") -> None:
    """Schema, signing keys and the benchmark client (created once, kept on later runs)."""
    with app.app_context():
        database.upgrade()
        keys.ensure_keys()
        if db.session.get(Client, CLIENT_ID) is None:
            clients.register(
                dict(
                    client_id=CLIENT_ID,
                    name="Benchmark service",
                    purpose="Measures the SSO round trip.",
                    redirect_uris=[REDIRECT_URI],
                    allowed_scopes=["openid", "profile"],
                    allowed_claims=PROFILE,
                    sector_identifier="bench.example",
                    token_endpoint_auth_method="client_secret_basic",
                    client_secret=CLIENT_SECRET,
                    id_token_signed_response_alg=alg,
                )
            )
        db.session.commit()
        db.engine.dispose()


def logged_in_sessions(app, count: int, lifetime: int = 86_400) -> list[str]:
    """``count`` new citizens, each logged in and consented to the client; their cookie tokens."""
    tokens = []
    with app.app_context():
        for _ in range(count):
            number = new_secret(9)
            person = accounts.link(
                AuthnResult(
                    method="bench",
                    issuer="https://bench.example",
                    subject=number,
                    acr=LOA2,
                    amr=("pwd", "otp"),
                    auth_time=int(time.time()),
                    attributes={"given_name": "Aino", "family_name": "Bench" + number[:6]},
                )
            )
            token = new_secret(32)
            db.session.add(
                LoginSession(
                    sid=new_secret(24),
                    token_hash=digest(token),
                    person_id=person.id,
                    method="bench",
                    acr=LOA2,
                    amr=["pwd", "otp"],
                    auth_time=int(time.time()),
                    expires_at=now() + lifetime,
                )
            )
            consent.decide(
                person.id,
                CLIENT_ID,
                essential=frozenset(),
                voluntary=frozenset(PROFILE),
                chosen=set(PROFILE),
                remember=True,
            )
            tokens.append(token)
        db.session.commit()
        db.engine.dispose()
    return tokens
