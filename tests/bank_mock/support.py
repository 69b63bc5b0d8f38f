"""Flow helpers for the mock bank: a test broker's keys, request objects, and a login journey."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

from joserfc import jwe
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey

from bank_mock import customers
from bank_mock import totp

CLIENT_ID = "silta-broker"
REDIRECT_URI = "http://127.0.0.1:8400/methods/bank/callback"
ISSUER = "http://127.0.0.1:8411"
LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class BrokerKeys:
    """The test broker's private keys; the bank is given only their public halves."""

    sig: RSAKey
    enc: RSAKey

    @classmethod
    def generate(cls) -> BrokerKeys:
        sig = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})
        enc = RSAKey.generate_key(2048, parameters={"use": "enc", "alg": "RSA-OAEP"})
        sig.ensure_kid()
        enc.ensure_kid()
        return cls(sig, enc)

    def public_jwks(self) -> dict:
        return {"keys": [self.sig.as_dict(private=False), self.enc.as_dict(private=False)]}

    def client_entry(self, **overrides) -> dict:
        return {
            "client_id": CLIENT_ID,
            "redirect_uris": [REDIRECT_URI],
            "jwks": self.public_jwks(),
            **overrides,
        }


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@dataclass
class BankFlow:
    """One citizen's journey through a bank, as the broker and the browser would make it."""

    app: object
    browser: object
    keys: BrokerKeys
    issuer: str = ISSUER
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    state: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    uid: str | None = None

    def again(self) -> BankFlow:
        """Another journey of the same browser: a new nonce, state and PKCE verifier."""
        return BankFlow(self.app, self.browser, self.keys, self.issuer)

    def claims(self, **overrides) -> dict:
        """A complete FTN request object's claims; an override of None drops the claim."""
        now = int(time.time())
        claims = {
            "iss": CLIENT_ID,
            "aud": self.issuer,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_urlsafe(16),
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid profile personal_identity_code",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": s256(self.verifier),
            "code_challenge_method": "S256",
            "acr_values": LOA2,
            "ftn_spname": "Tax Administration",
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def request_object(
        self, claims: dict | None = None, header: dict | None = None, key=None
    ) -> str:
        header = header or {"alg": "RS256", "kid": self.keys.sig.kid}
        return jwt.encode(header, claims or self.claims(), key or self.keys.sig)

    def authorize(self, request_object: str | None = None, **params):
        query = {"client_id": CLIENT_ID, "request": request_object or self.request_object()}
        query.update(params)
        query = {k: v for k, v in query.items() if v is not None}
        return self.browser.get("/authorize?" + urlencode(query))

    def start(self, **claims) -> str:
        response = self.authorize(self.request_object(self.claims(**claims)))
        assert response.status_code == 303, response.get_data(as_text=True)
        self.uid = response.location.rsplit("/", 1)[-1]
        return self.uid

    csrf: str | None = None

    def page(self, path: str):
        """GET a screen, keeping its CSRF token for the next post."""
        response = self.browser.get(path)
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def _post(self, path: str, data: dict, fetch: bool = True):
        if fetch:
            self.page(path)
        return self.browser.post(path, data={"csrf_token": self.csrf, **data})

    def login(self, customer_number: str, password: str):
        data = {"customer_number": customer_number, "password": password}
        return self._post(f"/login/{self.uid}", data)

    def enter_code(self, code: str):
        return self._post(f"/login/{self.uid}/code", {"code": code})

    def release(self, decision: str = "continue"):
        return self._post(f"/login/{self.uid}/release", {"decision": decision})

    def cancel(self):
        return self._post(f"/login/{self.uid}/cancel", {}, fetch=False)

    def log_in(self, account: customers.Account):
        """Customer number and password, then the current key code: the release page follows."""
        self.login(account.customer_number, account.password)
        return self.enter_code(current_code(account))

    def authorization_code(self, account: customers.Account, **claims) -> str:
        self.start(**claims)
        assert self.log_in(account).status_code == 303
        response = self.release("continue")
        assert response.status_code == 302, response.get_data(as_text=True)
        return query_of(response.location)["code"]

    def client_assertion(self, key=None, **overrides) -> str:
        now = int(time.time())
        claims = {
            "iss": CLIENT_ID,
            "sub": CLIENT_ID,
            "aud": self.issuer + "/token",
            "iat": now,
            "exp": now + 60,
            "jti": secrets.token_urlsafe(16),
            **overrides,
        }
        claims = {k: v for k, v in claims.items() if v is not None}
        # The header always names the broker's registered key, whichever key really signs.
        return jwt.encode({"alg": "RS256", "kid": self.keys.sig.kid}, claims, key or self.keys.sig)

    def exchange(self, code: str, /, assertion: str | None = None, **form):
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": self.verifier,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion or self.client_assertion(),
            **form,
        }
        return self.browser.post("/token", data={k: v for k, v in data.items() if v is not None})

    def open_id_token(self, id_token: str) -> tuple[dict, dict, dict]:
        """Decrypt with the broker's enc key, verify with the bank's JWKS: (jwe, jws, claims)."""
        decrypted = jwe.decrypt_compact(
            id_token, self.keys.enc, algorithms=["RSA-OAEP", "A128CBC-HS256"]
        )
        jwks = KeySet.import_key_set(self.browser.get("/jwks.json").get_json())
        verified = jwt.decode(decrypted.plaintext, jwks, algorithms=["RS256"])
        return decrypted.protected, verified.header, verified.claims


def current_code(account: customers.Account) -> str:
    return totp.code_at(customers.totp_secret(account.bank_id, account.customer_number))


def account(bank_id: str, scenario: str | None = None, index: int = 0) -> customers.Account:
    """A seeded account of the bank: the index-th ordinary one, or the scenario's customer."""
    accounts = customers.accounts_for(bank_id)
    if scenario:
        return next(a for a in accounts if a.scenario == scenario)
    return [a for a in accounts if a.scenario is None][index]


def valid_codes(account: customers.Account) -> set[str]:
    """The key codes the bank accepts now: this step's and one either side."""
    secret = customers.totp_secret(account.bank_id, account.customer_number)
    now = time.time()
    return {totp.code_at(secret, now + step * totp.STEP_SECONDS) for step in (-1, 0, 1)}


def wrong_code(account: customers.Account) -> str:
    """A well-formed key code that is not valid now (nor one step either side)."""
    valid = valid_codes(account)
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
