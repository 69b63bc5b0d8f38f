"""DPoP proofs (RFC 9449): checked at /token, /par and /userinfo; the broker's DPoP nonces.

A proof is a JWT the client signs with a key it holds and sends in the `DPoP` header. The checks
follow §4.3's list in order. A proof's `jti` is spent only after every other check passed
(`spend`), so a proof refused for its nonce can be made again and sent. Nonces (§8, §9) are
stateless: an HMAC of the current time window under a key derived from SECRET_KEY, so every node
issues and accepts the same values without storage, and they rotate by themselves.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from authlib.oauth2 import OAuth2Error
from flask import current_app
from joserfc import jws
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import Key
from joserfc.jwk import RSAKey
from joserfc.jwk import import_key
from joserfc.jws import JWSRegistry

from ..storage.spent import spend_once

HEADER = "DPoP"
NONCE_HEADER = "DPoP-Nonce"
TYP = "dpop+jwt"
# §4.3 item 5: asymmetric algorithms only, never `none` or an HMAC. The FAPI 2.0 set (§5.4.1).
ALGORITHMS = ("ES256", "PS256")
KEY_TYPES = {"ES256": "EC", "PS256": "RSA"}
MIN_RSA_BITS = 2048
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
THUMBPRINT = re.compile(r"^[A-Za-z0-9_-]{43}$")  # base64url SHA-256 (RFC 7638 §3, RFC 9449 §10)
MAX_JTI = 256
# The proof's header carries its public key: an RSA jwk alone outgrows joserfc's default 512 bytes.
REGISTRY = JWSRegistry(algorithms=list(ALGORITHMS))
REGISTRY.max_header_length = 2048
DEFAULT_PORTS = {"http": 80, "https": 443}


class DPoPError(OAuth2Error):
    """An RFC 9449 error: JSON at /token, a 401 `DPoP` challenge at a resource (§7.1)."""

    def __init__(self, description: str | None = None, resource: bool = False) -> None:
        super().__init__(description, status_code=401 if resource else None)
        self.resource = resource

    def get_headers(self) -> list[tuple[str, str]]:
        headers = super().get_headers()
        if self.resource:
            headers.append(("WWW-Authenticate", challenge(self.error, self.description)))
        return headers


class InvalidDPoPProofError(DPoPError):
    error = "invalid_dpop_proof"  # §5 (token endpoint), §7.1 (resources), §12.2


class UseDPoPNonceError(DPoPError):
    error = "use_dpop_nonce"  # §8 (token endpoint), §9 (resources)

    def get_headers(self) -> list[tuple[str, str]]:
        return [*super().get_headers(), (NONCE_HEADER, current_nonce())]


class InvalidDPoPTokenError(DPoPError):
    """`invalid_token` with a DPoP challenge: the token is not bound as it was presented (§7)."""

    error = "invalid_token"

    def __init__(self, description: str | None = None) -> None:
        super().__init__(description, resource=True)


def challenge(error: str | None = None, description: str | None = None) -> str:
    """A `WWW-Authenticate: DPoP` challenge (§7.1), naming the algorithms accepted."""
    params = [f'error="{error}"'] if error else []
    if description:
        params.append(f'error_description="{description}"')
    params.append(f'algs="{" ".join(ALGORITHMS)}"')
    return "DPoP " + ", ".join(params)


@dataclass(frozen=True)
class Proof:
    """A checked proof: the thumbprint of its key (RFC 7638) and what makes it single-use."""

    jkt: str
    jti: str
    iat: int


def read_proof(headers) -> str | None:
    """The request's one `DPoP` header, or None when it has none."""
    values = headers.getlist(HEADER)
    if not values:
        return None
    if len(values) > 1:  # §4.3 item 1: exactly one
        raise InvalidDPoPProofError("Send exactly one DPoP header.")
    return values[0]


def check_proof(
    raw: str, method: str, url: str, *, access_token: str | None = None, resource: bool = False
) -> Proof:
    """Every check of RFC 9449 §4.3 but replay, which `spend` does once the request may go on."""

    def refuse(why: str) -> InvalidDPoPProofError:
        return InvalidDPoPProofError(why, resource=resource)

    if not COMPACT_JWS.match(raw):  # item 2: a single well-formed JWT
        raise refuse("The DPoP proof is not a compact JWT.")
    try:
        header = jws.extract_compact(raw.encode(), registry=REGISTRY).headers()
    except (JoseError, ValueError):
        raise refuse("The DPoP proof is not a compact JWT.") from None
    if str(header.get("typ", "")).lower() != TYP:  # item 4
        raise refuse("The DPoP proof's typ must be dpop+jwt.")
    alg = header.get("alg")
    if alg not in ALGORITHMS:  # item 5
        raise refuse(f"The DPoP proof must be signed with {' or '.join(ALGORITHMS)}.")
    key = _public_key(header.get("jwk"), alg, refuse)
    try:  # item 6
        claims = jwt.decode(raw, key, algorithms=[alg], registry=REGISTRY).claims
    except (JoseError, ValueError):
        raise refuse("The DPoP proof's signature does not verify with its jwk.") from None
    jti, iat = claims.get("jti"), claims.get("iat")
    if not (isinstance(jti, str) and 0 < len(jti) <= MAX_JTI):  # item 3, §4.2
        raise refuse("The DPoP proof needs a jti.")
    if not isinstance(iat, int | float) or isinstance(iat, bool):  # a NumericDate (RFC 7519 §2)
        raise refuse("The DPoP proof needs a numeric iat.")
    if claims.get("htm") != method:  # item 8
        raise refuse(f"The DPoP proof's htm must be {method}.")
    if _request_uri(claims.get("htu")) != _request_uri(url):  # item 9
        raise refuse(f"The DPoP proof's htu must be {url}.")
    if abs(time.time() - iat) > current_app.config["DPOP_PROOF_WINDOW"]:  # item 11, §11.1
        raise refuse("The DPoP proof's iat is too far from the current time.")
    if access_token is not None and not _ath_matches(claims.get("ath"), access_token):
        raise refuse("The DPoP proof's ath does not match the access token.")  # item 12, §7
    _check_nonce(claims.get("nonce"), resource)  # item 10
    return Proof(key.thumbprint(), jti, int(iat))


def spend(proof: Proof, resource: bool = False) -> None:
    """§11.1: a proof is accepted once; its jti is kept while its iat would still pass."""
    expires_at = proof.iat + current_app.config["DPOP_PROOF_WINDOW"] + 1
    if not spend_once("dpop", proof.jkt, proof.jti, expires_at=expires_at):
        raise InvalidDPoPProofError("The DPoP proof has been used before.", resource=resource)


def _public_key(jwk, alg: str, refuse) -> Key:
    if not isinstance(jwk, dict):
        raise refuse("The DPoP proof's header must carry its public key as jwk.")
    if PRIVATE_MEMBERS & set(jwk):  # item 7
        raise refuse("The DPoP proof's jwk must be a public key.")
    try:
        key = import_key(jwk)
    except (JoseError, ValueError, TypeError, KeyError):
        raise refuse("The DPoP proof's jwk is not a usable key.") from None
    if key.key_type != KEY_TYPES[alg]:
        raise refuse(f"The DPoP proof's jwk is not a key for {alg}.")
    if isinstance(key, RSAKey) and key.raw_value.key_size < MIN_RSA_BITS:
        raise refuse(f"The DPoP proof's RSA key must have at least {MIN_RSA_BITS} bits.")
    if key.key_type == "EC" and jwk.get("crv") != "P-256":
        raise refuse("The DPoP proof's EC key must be on P-256 for ES256.")
    return key


def _request_uri(value) -> tuple | None:
    """§4.3 item 9: compared without query and fragment, normalised (RFC 3986 §6.2.2–6.2.3)."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if port == DEFAULT_PORTS.get(scheme):
        port = None
    return (scheme, (parts.hostname or "").lower(), port, parts.path or "/")


def access_token_hash(access_token: str) -> str:
    """`ath` (§4.2): base64url SHA-256 of the access token's ASCII bytes, no padding."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _ath_matches(ath, access_token: str) -> bool:
    return isinstance(ath, str) and hmac.compare_digest(ath, access_token_hash(access_token))


def _check_nonce(nonce, resource: bool) -> None:
    """§8, §9: a nonce the broker issued, and no older than two windows; required if configured."""
    if nonce is None and not current_app.config["DPOP_NONCE_REQUIRED"]:
        return
    if nonce is None:
        raise UseDPoPNonceError("The broker requires a DPoP nonce.", resource=resource)
    if not (isinstance(nonce, str) and nonce_is_fresh(nonce)):
        raise UseDPoPNonceError("The DPoP nonce is unknown or expired.", resource=resource)


def _nonce_for(window: int) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    key = hmac.new(secret, b"silta/dpop-nonce", hashlib.sha256).digest()
    mac = hmac.new(key, str(window).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def _window() -> int:
    return int(time.time()) // current_app.config["DPOP_NONCE_LIFETIME"]


def current_nonce() -> str:
    return _nonce_for(_window())


def nonce_is_fresh(nonce: str) -> bool:
    """Issued in this window or the last one: so every nonce lives one to two windows."""
    window = _window()
    return any(hmac.compare_digest(nonce, _nonce_for(w)) for w in (window, window - 1))


def nonce_headers() -> list[tuple[str, str]]:
    """A fresh `DPoP-Nonce` for a successful answer, when the broker requires nonces (§8.2)."""
    if not current_app.config["DPOP_NONCE_REQUIRED"]:
        return []
    return [(NONCE_HEADER, current_nonce())]
