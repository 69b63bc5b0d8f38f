"""A folder of virtual cards: its SoftHSM2 configuration, the loaded PKCS#11 module, its tokens.

The folder holds ``softhsm2.conf`` and ``tokens/``; ``SOFTHSM2_CONF`` points this process at it
(SoftHSM2 reads the variable at ``C_Initialize``, so switching folders re-initialises the
module). python-pkcs11 has no ``C_InitToken``: it is called through ctypes on the same loaded
library, which ``dlopen`` shares with python-pkcs11.

The folder also holds ``cards-index.json``: the label and token serial of every initialised
token, rewritten (in one rename) by whoever initialises or voids a token, under the folder's
lock. A process that keeps its own map of the cards (the reader bridge) re-reads the module only
when that file changes, instead of scanning every token on every request; a missing index is
rebuilt by one scan.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pkcs11
from pkcs11 import TokenFlag

CARD_LABEL_PREFIX = "silta-card-"
VOID_LABEL_PREFIX = "silta-void-"
LABEL_LENGTH = 32  # PKCS#11 v2.40 §3.2: CK_TOKEN_INFO.label is 32 blank-padded UTF-8 bytes
INDEX = "cards-index.json"
CKR_OK = 0

_initialised_with: dict[str, str] = {}  # module path -> SOFTHSM2_CONF it last read


class TokenError(RuntimeError):
    """A token operation failed; the message names the token, never a PIN."""


def card_label(serial: str) -> str:
    """The token label of a card: ``silta-card-<serial>``."""
    label = CARD_LABEL_PREFIX + serial
    if len(label.encode()) > LABEL_LENGTH:
        raise TokenError(f"Card serial {serial!r} is too long for a token label.")
    return label


@cache
def _cdll(module_path: str) -> ctypes.CDLL:
    library = ctypes.CDLL(module_path)
    library.C_InitToken.argtypes = [
        ctypes.c_ulong,
        ctypes.c_char_p,
        ctypes.c_ulong,
        ctypes.c_char_p,
    ]
    library.C_InitToken.restype = ctypes.c_ulong
    return library


class TokenStore:
    """The virtual cards in one folder, reached through one PKCS#11 module."""

    def __init__(self, folder: str | Path, module_path: str) -> None:
        self.folder = Path(folder)
        self.module_path = module_path
        self.conf_path = self.folder / "softhsm2.conf"

    def ensure(self) -> TokenStore:
        """Create the folder, its ``tokens/`` and its ``softhsm2.conf`` if missing."""
        (self.folder / "tokens").mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.conf_path.exists():
            self.conf_path.write_text(
                f"directories.tokendir = {(self.folder / 'tokens').resolve()}\n"
                "objectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n"
            )
        return self

    def lib(self) -> pkcs11.lib:
        """The module, initialised on this folder's configuration."""
        conf = str(self.conf_path.resolve())
        os.environ["SOFTHSM2_CONF"] = conf
        library = pkcs11.lib(self.module_path)
        if _initialised_with.setdefault(self.module_path, conf) != conf:
            library.reinitialize()
            _initialised_with[self.module_path] = conf
        return library

    def refresh(self) -> None:
        """Re-initialise the module so it sees tokens other processes made or changed."""
        self.lib().reinitialize()

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder's exclusive lock; the kernel drops it when the process dies."""
        self.ensure()
        with open(self.folder / "tokens.lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def find(self, label: str) -> pkcs11.Token | None:
        """The initialised token with this label, or None (a walk over every slot)."""
        return next((t for t in self._initialised() if t.label == label), None)

    def token_folder(self, token: pkcs11.Token) -> Path | None:
        """SoftHSM2's folder of this token, or None when the module keeps tokens elsewhere.

        SoftHSM2 2.6 keeps each token in ``tokens/<uuid>/`` and gives it the serial number of
        the uuid's last 16 hex digits; a real card's module has no such folder.
        """
        serial = token.serial.decode("ascii", "replace").strip().lower()
        folders = (self.folder / "tokens").iterdir() if (self.folder / "tokens").is_dir() else ()
        matches = [
            folder
            for folder in folders
            if folder.is_dir() and serial and folder.name.replace("-", "").endswith(serial)
        ]
        return matches[0] if len(matches) == 1 else None

    def index(self) -> dict[str, str]:
        """Label → token serial of every initialised token, from the index file (rebuilt by one
        scan when it is missing or unreadable). Call it holding ``lock()``."""
        try:
            return dict(json.loads((self.folder / INDEX).read_text())["tokens"])
        except (OSError, ValueError, KeyError, TypeError):
            found = {t.label: _serial(t) for t in self._initialised()}
            self._write_index(found)
            return found

    def index_stamp(self) -> tuple[int, int, int] | None:
        """What changes whenever the index is rewritten (one stat, whatever the number of
        cards), or None before there is an index."""
        try:
            found = (self.folder / INDEX).stat()
        except OSError:
            return None
        return found.st_ino, found.st_mtime_ns, found.st_size

    def tokens_by_label(self, labels: set[str]) -> dict[str, pkcs11.Token]:
        """The loaded module's tokens for these labels, in one pass over the slots."""
        return {t.label: t for t in self._initialised() if t.label in labels}

    def _initialised(self) -> list[pkcs11.Token]:
        tokens = (slot.get_token() for slot in self.lib().get_slots(token_present=True))
        return [t for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]

    def _write_index(self, tokens: dict[str, str]) -> None:
        """Replace the index in one rename, so a reader sees the old or the new, never half."""
        self.ensure()
        staging = self.folder / f".{INDEX}.{os.getpid()}"
        staging.write_text(json.dumps({"tokens": dict(sorted(tokens.items()))}))
        os.replace(staging, self.folder / INDEX)

    def _indexed(self, drop: str | None = None, token: pkcs11.Token | None = None) -> None:
        found = self.index()
        if drop is not None:
            found.pop(drop, None)
        if token is not None:
            found[token.label] = _serial(token)
        self._write_index(found)

    def labels(self, prefix: str = CARD_LABEL_PREFIX) -> list[str]:
        """Labels of the initialised tokens starting with `prefix`."""
        return sorted(t.label for t in self._initialised() if t.label.startswith(prefix))

    def initialise(self, label: str, so_pin: str) -> pkcs11.Token:
        """Initialise a free token with `label` and SO PIN, and return it."""
        if self.find(label) is not None:
            raise TokenError(f"A token labelled {label} already exists.")
        free = [
            slot
            for slot in self.lib().get_slots(token_present=True)
            if not slot.get_token().flags & TokenFlag.TOKEN_INITIALIZED
        ]
        if not free:
            raise TokenError("The PKCS#11 module has no free token to initialise.")
        self._init_token(free[0].slot_id, so_pin, label)
        token = self.find(label)
        if token is None:
            raise TokenError(f"Token {label} did not appear after initialisation.")
        self._indexed(token=token)
        return token

    def void(self, label: str, so_pin: str, void_label: str) -> None:
        """Wipe the token's objects and relabel it, so it can never act as a card again.

        PKCS#11 v2.40 §5.6 C_InitToken: re-initialising a token destroys every object on it.
        """
        token = self.find(label)
        if token is not None:
            self._init_token(token.slot.slot_id, so_pin, void_label)
            self._indexed(drop=label, token=self.find(void_label))

    def _init_token(self, slot_id: int, so_pin: str, label: str) -> None:
        self.lib()  # C_Initialize has run on this configuration
        pin = so_pin.encode()
        padded = label.encode().ljust(LABEL_LENGTH)
        result = _cdll(self.module_path).C_InitToken(slot_id, pin, len(pin), padded)
        if result != CKR_OK:
            raise TokenError(f"C_InitToken for {label} failed with CKR 0x{result:08x}.")


def _serial(token: pkcs11.Token) -> str:
    return token.serial.decode("ascii", "replace").strip()
