"""PKCE pairs (RFC 7636 §4.1–4.2)."""

import base64
import hashlib
import secrets


def new_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()
