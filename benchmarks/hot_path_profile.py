"""Where a worker's time goes on the SSO round trip: cProfile of the broker in-process.

Usage: python benchmarks/hot_path_profile.py DIR [ROUND_TRIPS]   (DIR prepared by prepare.py)

Drives authorize (session and consent exist) → token → userinfo through the WSGI app, without
HTTP or a server, so the profile shows the broker's own work only; prints the top functions by
own time and by cumulative time.
"""

from __future__ import annotations

import base64
import cProfile
import hashlib
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import prepare


def main() -> None:
    folder, count = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 300
    for line in (folder / "env").read_text().splitlines():
        key, value = line.removeprefix("export ").split("=", 1)
        os.environ[key] = value.strip("'")
    os.environ["SILTA_ACCESS_LOG"] = "0"
    from idp import create_app

    app = create_app()
    client = app.test_client()
    name, value = (folder / "sessions").read_text().splitlines()[-1].split("=", 1)
    client.set_cookie(name, value, domain="127.0.0.1")
    for _ in range(20):  # warm: key cache, client cache, first statements
        round_trip(client)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(count):
        round_trip(client)
    profile.disable()
    elapsed = time.perf_counter() - started
    print(f"{count} round trips, {elapsed / count * 1000:.1f} ms each under the profiler")
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def round_trip(client) -> None:
    base = f"http://127.0.0.1:{prepare.PORT}"
    verifier = secrets.token_urlsafe(32)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    query = dict(
        response_type="code",
        client_id=prepare.CLIENT_ID,
        redirect_uri=prepare.REDIRECT_URI,
        scope="openid profile",
        state=secrets.token_urlsafe(8),
        nonce=secrets.token_urlsafe(16),
        code_challenge=challenge,
        code_challenge_method="S256",
    )
    answer = client.get("/authorize", query_string=query, base_url=base)
    code = parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
    form = dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=prepare.REDIRECT_URI,
        code_verifier=verifier,
    )
    tokens = client.post(
        "/token", data=form, auth=(prepare.CLIENT_ID, prepare.CLIENT_SECRET), base_url=base
    ).get_json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/userinfo", headers=bearer, base_url=base).status_code == 200


if __name__ == "__main__":
    main()
