"""A stand-in broker for unit tests: discovery and a JWKS that a test can rotate, on loopback.

It only publishes metadata and keys, and mints tokens with them; logins against the real
broker are the integration tests' job (test_federation.py).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from dataclasses import field

from flask import Flask
from flask import jsonify
from joserfc import jwt
from joserfc.jwk import ECKey
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"


def rsa_key() -> RSAKey:
    key = RSAKey.generate_key(2048, private=True)
    key.ensure_kid()
    return key


@dataclass
class FakeBroker:
    published: list = field(default_factory=list)  # keys in the JWKS now
    jwks_fetches: int = 0
    url: str = ""

    def __post_init__(self):
        self.key = rsa_key()
        self.published.append(self.key)
        app = Flask(__name__)

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(
                issuer=self.url,
                authorization_endpoint=self.url + "/authorize",
                token_endpoint=self.url + "/token",
                userinfo_endpoint=self.url + "/userinfo",
                jwks_uri=self.url + "/jwks.json",
                end_session_endpoint=self.url + "/logout",
                pushed_authorization_request_endpoint=self.url + "/par",
                id_token_signing_alg_values_supported=["RS256", "ES256"],
            )

        @app.get("/jwks.json")
        def jwks():
            self.jwks_fetches += 1
            return jsonify(keys=[k.as_dict(private=False) for k in self.published])

        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)

    def id_token_claims(self, client_id: str, expected_nonce: str, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": client_id,
            "sub": "pairwise-sub-1",
            "iat": now,
            "exp": now + 300,
            "auth_time": now - 5,
            "nonce": expected_nonce,
            "acr": LOA2,
            "amr": ["pwd", "otp", "mfa"],
            "sid": "sid-1",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def logout_claims(self, client_id: str, **overrides) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": client_id,
            "iat": now,
            "exp": now + 120,
            "jti": uuid.uuid4().hex,
            "sub": "pairwise-sub-1",
            "sid": "sid-1",
            "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict, key=None, alg: str = "RS256", **header) -> str:
        key = key or self.key
        return jwt.encode({"alg": alg, "kid": key.kid, **header}, claims, key)


def ec_key() -> ECKey:
    key = ECKey.generate_key("P-256", private=True)
    key.ensure_kid()
    return key
