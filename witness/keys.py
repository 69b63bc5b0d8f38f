"""The witness's cosigning key (Ed25519, cosignature/v1), kept in its instance folder (0600)."""

from __future__ import annotations

import os
from pathlib import Path

from silta_common.tlog.keys import COSIGNATURE_V1
from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import SignerKey

from .config import ConfigError

KEY_FILE = "witness-key"


def key_path(instance: str | Path) -> Path:
    return Path(instance) / KEY_FILE


def write_key(path: Path, signer: SignerKey, *, overwrite: bool = False) -> None:
    """Write the signer key string, readable by its owner only; never over a key unasked."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    with os.fdopen(os.open(path, flags, 0o600), "w") as file:
        file.write(signer.private_string() + "\n")


def load_key(instance: str, name: str, create: bool) -> SignerKey:
    """The witness's key, made first if ``create`` (demo, tests); ConfigError if unusable."""
    path = key_path(instance)
    if not path.exists():
        if not create:
            raise ConfigError(
                f"The witness will not start: it has no key. Run `silta-witness keys generate` "
                f"to write {path}, or run with WITNESS_DEBUG=1 for a local demo."
            )
        write_key(path, SignerKey.generate(name, COSIGNATURE_V1))
    try:
        signer = SignerKey.parse(path.read_text())
    except KeyFormatError as error:
        raise ConfigError(f"The witness key {path} cannot be read: {error}.") from None
    if signer.key_type != COSIGNATURE_V1 or signer.name != name:
        raise ConfigError(f"The witness key {path} is not a cosignature/v1 key named {name}.")
    return signer
