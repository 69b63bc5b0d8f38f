"""The SSO round trip in one process, through Flask's test client: statements, commits, profile.

    .venv/bin/python -m benchmarks.hotpath.inprocess [--round-trips 500] [--profile out.prof]

Runs the round trip the side-by-side driver runs (authorize with a session and a remembered
consent → token with client_secret_basic and PKCE → ID-token check → userinfo) against a broker
on a fresh SQLite file (or ``--database-url``), calling the WSGI app directly with a bare
environ, and prints, per endpoint, the SQL statements and commits of one steady-state request
and its mean CPU time, and the Python function calls per round trip (a measure a busy machine
does not blur). No HTTP server is involved, so this is the application's own cost;
``--profile`` writes a cProfile dump of the measured loop (``python -m pstats`` reads it).
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import io
import json
import os
import pstats
import secrets
import tempfile
import time
from collections import Counter
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import sqlalchemy as sa
from joserfc import jwt
from joserfc.jwk import KeySet

from idp import create_app
from idp.extensions import db
from idp.ops import logs
from idp.storage import transaction

from .. import prepare

ENDPOINTS = ("authorize", "token", "userinfo")
ALG = "ES256"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def build_app(database_url: str | None, instance: Path):
    config = {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url or "",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "PAIRWISE_SECRET": secrets.token_urlsafe(32),
        "KEY_ENCRYPTION_KEY": _b64(secrets.token_bytes(32)),
        "SESSION_COOKIE_SECURE": False,
    }
    # Log as a served node does (JSON access and audit lines), into /dev/null: the lines' cost
    # is part of every request.
    logs.configure(stream=open(os.devnull, "w"))  # noqa: SIM115 (open for the process's life)
    transaction.keep_between_requests()  # one request at a time, as a sync or bjoern worker
    return create_app(config)


class Recorder:
    """Counts the statements and commits the engine sees, under the current label."""

    def __init__(self, engine) -> None:
        self.label = None
        self.statements: dict[str, list[str]] = defaultdict(list)
        self.commits: Counter = Counter()
        sa.event.listen(engine, "before_cursor_execute", self._statement)
        sa.event.listen(engine, "commit", self._commit)

    def _statement(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.label:
            self.statements[self.label].append(statement)

    def _commit(self, conn) -> None:
        if self.label:
            self.commits[self.label] += 1

    @contextmanager
    def under(self, label: str):
        self.label = label
        try:
            yield
        finally:
            self.label = None


class Wsgi:
    """Calls the app as a WSGI server would, with a bare environ: no HTTP, no test client."""

    def __init__(self, app, cookie: str) -> None:
        self.app, self.cookie = app, cookie

    def call(self, method: str, path: str, query: str = "", body: bytes = b"", **headers):
        environ = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8400",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8400",
            "HTTP_COOKIE": self.cookie,
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "CONTENT_LENGTH": str(len(body)) if body else "",
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
        answer: dict = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = dict(response_headers)

        chunks = self.app(environ, start_response)
        try:
            answer["body"] = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return answer


class RoundTrip:
    """One browser with a logged-in session and one confidential client."""

    def __init__(self, app, cookie: str) -> None:
        self.app = app
        self.http = Wsgi(app, cookie)
        credentials = f"{prepare.CLIENT_ID}:{prepare.CLIENT_SECRET}".encode()
        self.basic = "Basic " + base64.b64encode(credentials).decode()
        self.jwks = KeySet.import_key_set(json.loads(self.http.call("GET", "/jwks.json")["body"]))
        self.issuer = app.config["ISSUER"]

    def run(self, recorder: Recorder, times: dict[str, float]) -> None:
        state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(32)
        challenge = _b64(hashlib.sha256(verifier.encode()).digest())
        query = urlencode(
            dict(
                response_type="code",
                client_id=prepare.CLIENT_ID,
                redirect_uri=prepare.REDIRECT_URI,
                scope="openid profile",
                state=state,
                nonce=nonce,
                code_challenge=challenge,
                code_challenge_method="S256",
            )
        )
        start = time.process_time()
        with recorder.under("authorize"):
            response = self.http.call("GET", "/authorize", query)
        times["authorize"] += time.process_time() - start
        location = response["headers"].get("Location", "")
        callback = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
        assert response["status"] == 302, response["body"]
        assert location.startswith(prepare.REDIRECT_URI), location
        assert callback["state"] == state, callback
        assert callback["iss"] == self.issuer, callback
        form = urlencode(
            dict(
                grant_type="authorization_code",
                code=callback["code"],
                redirect_uri=prepare.REDIRECT_URI,
                code_verifier=verifier,
            )
        ).encode()
        start = time.process_time()
        with recorder.under("token"):
            response = self.http.call("POST", "/token", body=form, authorization=self.basic)
        times["token"] += time.process_time() - start
        assert response["status"] == 200, response["body"]
        tokens = json.loads(response["body"])
        claims = jwt.decode(tokens["id_token"], self.jwks).claims
        assert claims["nonce"] == nonce, claims
        assert claims["aud"] == prepare.CLIENT_ID, claims
        assert claims["iss"] == self.issuer, claims
        assert claims["exp"] > time.time(), claims
        start = time.process_time()
        with recorder.under("userinfo"):
            response = self.http.call(
                "GET", "/userinfo", authorization=f"Bearer {tokens['access_token']}"
            )
        times["userinfo"] += time.process_time() - start
        assert response["status"] == 200, response["body"]
        assert json.loads(response["body"])["sub"] == claims["sub"]


def measure(app, round_trips: int, profile_to: Path | None) -> dict:
    with app.app_context():
        prepare.schema_keys_and_client(ALG)
        cookie = prepare.logged_in_citizen(app)
        db.session.commit()
    with app.app_context():
        engine = db.engine
    trip = RoundTrip(app, cookie)
    warm = Recorder(engine)
    trip.run(warm, defaultdict(float))  # caches filled, as on a busy node
    sa.event.remove(engine, "before_cursor_execute", warm._statement)
    sa.event.remove(engine, "commit", warm._commit)
    one = Recorder(engine)
    trip.run(one, defaultdict(float))
    sa.event.remove(engine, "before_cursor_execute", one._statement)
    sa.event.remove(engine, "commit", one._commit)
    times: dict[str, float] = defaultdict(float)
    idle = Recorder(engine)
    profiler = cProfile.Profile() if profile_to else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(round_trips):
        trip.run(idle, times)
    if profiler:
        profiler.disable()
        profiler.dump_stats(str(profile_to))
    elapsed = time.process_time() - started
    counter = cProfile.Profile()  # Python calls per round trip: a load-independent measure
    counter.enable()
    for _ in range(20):
        trip.run(idle, defaultdict(float))
    counter.disable()
    calls = sum(stat[1] for stat in pstats.Stats(counter).stats.values()) // 20
    return {
        "round_trips": round_trips,
        "round_trips_per_s": round(round_trips / elapsed, 1),
        "python_calls_per_round_trip": calls,
        "endpoints": {
            name: {
                "statements": len(one.statements[name]),
                "commits": one.commits[name],
                "ms_per_request": round(1000 * times[name] / round_trips, 3),
                "sql": one.statements[name],
            }
            for name in ENDPOINTS
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round-trips", type=int, default=500)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--profile", type=Path, help="write a cProfile dump of the loop here")
    parser.add_argument("--sql", action="store_true", help="print each endpoint's statements")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="silta-hotpath-") as instance:
        app = build_app(args.database_url, Path(instance))
        result = measure(app, args.round_trips, args.profile)
        with app.app_context():
            db.engine.dispose()
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{result['round_trips']} round trips, {result['round_trips_per_s']}/s of CPU in process,"
        f" {result['python_calls_per_round_trip']} Python calls per round trip"
    )
    print(f"{'endpoint':<10} {'statements':>10} {'commits':>8} {'ms/request':>11}")
    for name, row in result["endpoints"].items():
        print(f"{name:<10} {row['statements']:>10} {row['commits']:>8} {row['ms_per_request']:>11}")
        if args.sql:
            for statement in row["sql"]:
                print("    " + " ".join(statement.split())[:160])


if __name__ == "__main__":
    main()
