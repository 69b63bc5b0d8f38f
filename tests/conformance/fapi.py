"""A FAPI 2.0-grade client: `private_key_jwt`, pushed requests, PKCE S256, request objects.

FAPI 2.0 Security Profile §5.3.2 (PAR, PKCE S256, `iss` in the response) and §5.3.2.1
(`private_key_jwt`); FAPI 2.0 Message Signing §5.3 (signed request objects, RFC 9101).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass
from dataclasses import field

from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.support.flow import Flow
from tests.support.pkce import new_pair

from .support import ISSUER

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SIG = RSAKey.generate_key(2048, parameters={"use": "sig", "kid": "fapi-sig"}, private=True)
# Same kid, another key: what an attacker who knows the kid but not the key can sign.
STRANGER = RSAKey.generate_key(2048, parameters={"use": "sig", "kid": "fapi-sig"}, private=True)
ALGORITHMS = ["RS256", "PS256", "ES256", "HS256"]


def public_jwks(*keys) -> dict:
    return {"keys": [k.as_dict(private=False) for k in keys]}


def signed(claims: dict, key=SIG, header: dict | None = None) -> str:
    return jwt.encode(
        header or {"alg": "RS256", "kid": key.kid}, claims, key, algorithms=ALGORITHMS
    )


def assertion(client_id: str, key=SIG, **changes) -> str:
    """A client assertion (RFC 7523 §3); keywords override claims, None drops one."""
    issued = int(time.time())
    claims = dict(
        iss=client_id,
        sub=client_id,
        aud=ISSUER,  # FAPI 2.0 §5.3.2.1 item 8: the issuer identifier
        jti=secrets.token_urlsafe(16),
        iat=issued,
        exp=issued + 60,
    )
    claims.update(changes)
    return signed({k: v for k, v in claims.items() if v is not None}, key)


def unsigned(claims: dict) -> str:
    """A JWT with `alg: none` (RFC 7519 §6), which no library here will make on purpose."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}."


@dataclass
class FapiFlow(Flow):
    """A Flow for a client that authenticates with its key and pushes its requests."""

    key: RSAKey = field(default_factory=lambda: SIG)

    def request_params(self, **changes) -> dict:
        """Fresh PKCE, state and nonce; keywords override (None drops)."""
        self.verifier, challenge = new_pair()
        self.state, self.nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        request = dict(
            response_type="code",
            client_id=self.rp.client_id,
            redirect_uri=self.rp.redirect_uri,
            scope="openid profile",
            state=self.state,
            nonce=self.nonce,
            code_challenge=challenge,
            code_challenge_method="S256",
        )
        request.update(changes)
        request = {k: v for k, v in request.items() if v is not None}
        self.state, self.nonce = request.get("state"), request.get("nonce")
        return request

    def request_object(self, header: dict | None = None, key=None, **changes) -> str:
        """The request as a signed object (RFC 9101 §4); keywords override claims."""
        issued = int(time.time())
        claims = {
            "iss": self.rp.client_id,
            "aud": ISSUER,
            "iat": issued,
            "nbf": issued,
            "exp": issued + 300,
            "jti": secrets.token_urlsafe(12),
            **self.request_params(),
        }
        claims.update(changes)
        claims = {k: v for k, v in claims.items() if v is not None}
        self.state, self.nonce = claims.get("state"), claims.get("nonce")
        return signed(claims, key or self.key, header)

    def client_auth(self, **changes) -> dict:
        return {
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion(self.rp.client_id, self.key, **changes),
        }

    def push(self, body: dict | None = None, auth: dict | None = None, headers=None, **changes):
        """POST /par with a fresh request (or ``body``), authenticated by an assertion."""
        data = body if body is not None else self.request_params(**changes)
        form = {**data, **(auth or self.client_auth())}
        return self.browser.post("/par", data=form, headers=headers or {})

    def open(self, request_uri: str, **extra):
        """The browser at /authorize with only `client_id` and `request_uri` (RFC 9126 §4)."""
        query = {"client_id": self.rp.client_id, "request_uri": request_uri, **extra}
        response = self.browser.get("/authorize", query_string=query)
        location = response.headers.get("Location", "")
        self.interaction = location if location.startswith("/interaction/") else None
        return self._keep(response)

    def start(self, **changes):
        """Push a request and open it; the response of /authorize."""
        pushed = self.push(**changes)
        assert pushed.status_code == 201, pushed.get_json()
        return self.open(pushed.get_json()["request_uri"])

    def redeem(self, code: str, auth: dict | None = None, headers=None, **changes):
        """POST /token for a code, authenticated by an assertion; keywords override."""
        data = dict(
            grant_type="authorization_code",
            code=code,
            redirect_uri=self.rp.redirect_uri,
            code_verifier=self.verifier,
        )
        data.update(changes)
        data = {k: v for k, v in data.items() if v is not None}
        form = {**data, **(auth or self.client_auth())}
        return self.browser.post("/token", data=form, headers=headers or {})

    def complete(self, **changes) -> tuple[dict, dict]:
        """A whole pushed login; the callback parameters and the token response."""
        response = self.start(**changes)
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
        answer = self.login_and_consent()
        tokens = self.redeem(answer["code"])
        assert tokens.status_code == 200, tokens.get_json()
        return answer, tokens.get_json()
