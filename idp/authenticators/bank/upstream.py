"""An upstream OpenID Provider (a bank) as the broker sees it: metadata, keys, health, tokens.

Every call is bounded by a timeout. Metadata and JWKS are cached; the JWKS is fetched again
once when a token names an unknown `kid` (the banks rotate keys). Health is known without
slowing the method choice: a stale answer is refreshed in the background.
"""

from __future__ import annotations

import time
import uuid
from typing import cast

import requests
from joserfc import jwe
from joserfc import jws
from joserfc import jwt
from joserfc.errors import ExpiredTokenError
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwk import KeySetSerialization

from silta_common.health import HealthWatch

from .keys import FederationKeys

METADATA_TTL = 3600
JWKS_REFETCH_SECONDS = 30
ENCRYPTION = ["RSA-OAEP", "A128CBC-HS256"]  # FTN: the only ID-token encryption accepted


class UpstreamError(Exception):
    """The provider could not be reached or answered nonsense."""


class TokenRejected(Exception):
    """The provider's ID token failed a check; ``reason`` names which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Upstream:
    def __init__(self, issuer: str, client_id: str, timeout: float, health_interval: float):
        self.issuer, self.client_id = issuer, client_id
        self.timeout, self.health_interval = timeout, health_interval
        self._metadata: tuple[float, dict] | None = None
        self._jwks: KeySet | None = None
        self.health = HealthWatch(self._answers_discovery, health_interval)
        self._jwks_refetched_at = float("-inf")

    # -- transport ---------------------------------------------------------------------------
    def _get_json(self, url: str, timeout: float | None = None) -> dict:
        try:
            response = requests.get(url, timeout=timeout or self.timeout)
            response.raise_for_status()
            value = response.json()
        except (requests.RequestException, ValueError) as error:
            self._mark(False)
            raise UpstreamError(f"{url}: {error.__class__.__name__}") from None
        if not isinstance(value, dict):
            self._mark(False)
            raise UpstreamError(f"{url}: not a JSON object")
        return value

    def metadata(self) -> dict:
        cached = self._metadata
        if cached and time.monotonic() - cached[0] < METADATA_TTL:
            return cached[1]
        document = self._get_json(self.issuer + "/.well-known/openid-configuration")
        if document.get("issuer") != self.issuer:  # OIDC Discovery §4.3
            self._mark(False)
            raise UpstreamError("discovery names another issuer")
        self._metadata = (time.monotonic(), document)
        return document

    def jwks(self, refresh: bool = False) -> KeySet:
        if self._jwks is None or refresh:
            try:
                document = self._get_json(self.metadata()["jwks_uri"])
                self._jwks = KeySet.import_key_set(cast(KeySetSerialization, document))
            except (ValueError, KeyError, TypeError, JoseError) as error:
                raise UpstreamError(f"unusable JWKS: {error}") from None
        return self._jwks

    # -- health ------------------------------------------------------------------------------
    def _mark(self, healthy: bool) -> None:
        self.health.mark(healthy)

    def _answers_discovery(self) -> bool:
        try:
            self._get_json(
                self.issuer + "/.well-known/openid-configuration", timeout=min(self.timeout, 2.0)
            )
        except UpstreamError:
            return False
        return True

    def probe(self) -> bool:
        """Ask the provider now, with a short timeout; remember the answer."""
        return self.health.probe()

    def reachable_now(self) -> bool:
        """Before sending a citizen there: a fresh answer, asked now if the last one is old."""
        return self.health.reachable_now()

    def healthy(self) -> bool:
        """For the method choice: the last answer, refreshed in the background when old."""
        return self.health.healthy()

    # -- protocol ----------------------------------------------------------------------------
    def request_object(self, keys: FederationKeys, params: dict) -> str:
        """RFC 9101 §4: every parameter inside one object signed RS256 by the broker."""
        now = int(time.time())
        claims = {
            **params,
            "iss": self.client_id,
            "aud": self.issuer,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(
            {"alg": "RS256", "kid": keys.sig.kid, "typ": "oauth-authz-req+jwt"}, claims, keys.sig
        )

    def client_assertion(self, keys: FederationKeys, audience: str) -> str:
        """private_key_jwt (RFC 7523 §2.2): iss = sub = client id, aud = the token endpoint."""
        now = int(time.time())
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "iat": now,
            "exp": now + 60,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "RS256", "kid": keys.sig.kid}, claims, keys.sig)

    def redeem(self, keys: FederationKeys, code: str, redirect_uri: str, verifier: str) -> str:
        """Exchange the code; return the (encrypted) ID token."""
        endpoint = self.metadata()["token_endpoint"]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": self.client_assertion(keys, endpoint),
        }
        try:
            response = requests.post(endpoint, data=form, timeout=self.timeout)
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            self._mark(False)
            raise UpstreamError(f"token endpoint: {error.__class__.__name__}") from None
        if not isinstance(body, dict):
            self._mark(False)
            raise UpstreamError("token endpoint answered something other than a JSON object")
        if response.status_code != 200 or not isinstance(body.get("id_token"), str):
            raise UpstreamError(
                f"token endpoint answered {response.status_code}: "
                f"{body.get('error', 'no id_token')}"
            )
        return body["id_token"]

    def verify_id_token(
        self, keys: FederationKeys, token: str, nonce: str, leeway: int = 30
    ) -> dict:
        """Decrypt, then verify signature and claims (OIDC Core §3.1.3.7, §10.2)."""
        try:
            inner = jwe.decrypt_compact(token, keys.enc, algorithms=ENCRYPTION).plaintext
        except (JoseError, ValueError):
            raise TokenRejected("not_decryptable") from None
        if inner is None:
            raise TokenRejected("not_decryptable")
        try:
            kid = jws.extract_compact(inner).headers().get("kid")
        except (JoseError, ValueError):
            raise TokenRejected("not_a_signed_token") from None
        jwks = self.jwks()
        if kid and not any(k.kid == kid for k in jwks.keys) and self._may_refetch_jwks():
            jwks = self.jwks(refresh=True)  # the bank rotated: fetch once more
        try:
            claims = jwt.decode(inner, jwks, algorithms=["RS256"]).claims
        except (JoseError, ValueError):
            raise TokenRejected("bad_signature") from None
        registry = jwt.JWTClaimsRegistry(
            leeway=leeway,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as error:
            raise TokenRejected(_reason(error)) from None
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != self.client_id:
            raise TokenRejected("wrong_azp")  # OIDC Core §3.1.3.7 steps 3–5
        return dict(claims)

    def _may_refetch_jwks(self) -> bool:
        """At most one forced JWKS fetch per JWKS_REFETCH_SECONDS, however many unknown kids."""
        now = time.monotonic()
        if now - self._jwks_refetched_at < JWKS_REFETCH_SECONDS:
            return False
        self._jwks_refetched_at = now
        return True


def _reason(error: JoseError) -> str:
    if isinstance(error, ExpiredTokenError):
        return "expired"
    claim = getattr(error, "claim", None)
    return f"wrong_{claim}" if claim else "invalid_claims"
