"""The authority's keys and certificates on disk: created once, loaded at every start.

Layout under the instance folder: ``ca/root-ca.key.pem``, ``ca/root-ca.crt.pem``,
``ca/issuing-ca.key.pem``, ``ca/issuing-ca.crt.pem`` (keys 0600), made in a temporary folder
and renamed into place so a crash never leaves half a CA; and ``ca/ocsp-responder.pem`` (key
and certificate in one 0600 file, replaced atomically when it is renewed).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from . import profiles
from .profiles import Signer

ROOT_NAME = "Silta Demo Root CA"
ISSUING_NAME = "Silta Demo Card Issuing CA 1"
RESPONDER_NAME = "Silta Demo OCSP Responder 1"
RESPONDER_FILE = "ocsp-responder.pem"


class AuthorityMissing(RuntimeError):
    """The CA has not been created in this instance folder."""


@dataclass(frozen=True)
class Authority:
    """Everything the issuer signs with: root, issuing CA and delegated OCSP responder."""

    root: x509.Certificate
    issuing: Signer
    responder: Signer


def ca_folder(instance: str | Path) -> Path:
    """The folder holding the authority's keys and certificates."""
    return Path(instance) / "ca"


def _pem_key(key) -> bytes:
    # Demo authority: keys at rest are protected by file mode 0600, not by a passphrase.
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write(path: Path, data: bytes, secret: bool) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if secret else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def create(instance: str | Path, algorithm: str) -> bool:
    """Create root and issuing CA unless they exist; True if they were created now."""
    folder = ca_folder(instance)
    if folder.exists():
        return False
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ca-", dir=folder.parent))
    try:
        root_key = profiles.new_private_key(algorithm)
        root = Signer(profiles.root_certificate(root_key, ROOT_NAME), root_key)
        issuing_key = profiles.new_private_key(algorithm)
        issuing = profiles.issuing_certificate(issuing_key.public_key(), ISSUING_NAME, root)
        _write(staging / "root-ca.key.pem", _pem_key(root_key), secret=True)
        _write(
            staging / "root-ca.crt.pem",
            root.certificate.public_bytes(serialization.Encoding.PEM),
            False,
        )
        _write(staging / "issuing-ca.key.pem", _pem_key(issuing_key), secret=True)
        _write(
            staging / "issuing-ca.crt.pem", issuing.public_bytes(serialization.Encoding.PEM), False
        )
        _write_responder(staging, Signer(issuing, issuing_key), algorithm)
        os.rename(staging, folder)  # atomic: the CA exists whole or not at all
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _write_responder(folder: Path, issuing: Signer, algorithm: str) -> None:
    key = profiles.new_private_key(algorithm)
    certificate = profiles.responder_certificate(key.public_key(), RESPONDER_NAME, issuing)
    temporary = folder / (RESPONDER_FILE + ".new")
    temporary.unlink(missing_ok=True)
    _write(temporary, _pem_key(key) + certificate.public_bytes(serialization.Encoding.PEM), True)
    os.replace(temporary, folder / RESPONDER_FILE)


def load(instance: str | Path, algorithm: str) -> Authority:
    """Load the authority; renew the responder certificate when a third of its life is left."""
    folder = ca_folder(instance)
    if not (folder / "issuing-ca.key.pem").exists():
        raise AuthorityMissing(f"No CA in {folder}: run `silta-card issuer init` first.")
    root = x509.load_pem_x509_certificate((folder / "root-ca.crt.pem").read_bytes())
    issuing = Signer(
        x509.load_pem_x509_certificate((folder / "issuing-ca.crt.pem").read_bytes()),
        serialization.load_pem_private_key((folder / "issuing-ca.key.pem").read_bytes(), None),
    )
    responder = _load_responder(folder)
    lifetime = (
        responder.certificate.not_valid_after_utc - responder.certificate.not_valid_before_utc
    )
    if responder.certificate.not_valid_after_utc - datetime.now(UTC) < lifetime / 3:
        _write_responder(folder, issuing, algorithm)
        responder = _load_responder(folder)
    return Authority(root, issuing, responder)


def _load_responder(folder: Path) -> Signer:
    data = (folder / RESPONDER_FILE).read_bytes()
    return Signer(
        x509.load_pem_x509_certificate(data),
        serialization.load_pem_private_key(data, None),
    )
