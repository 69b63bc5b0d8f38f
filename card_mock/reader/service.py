"""The card reader: lists the cards, and runs every PIN operation as a journaled, atomic step.

Each operation on a card follows one order, and each step is a checkpoint the crash tests stop
at (``STEPS``): the try is counted and journaled (``counted``), the token's files are copied
(``snapshotted``), the token is used (``logged_in`` / ``code_verified``, then ``signed`` or
``pin_set``), and one transaction gives the tries back and closes the journal (``committed``).
Start-up recovery (``recover``) closes what a crash left open: before ``snapshotted`` nothing
touched the token; after it the copy is put back. Either way the try stays spent, as on a chip,
so killing the bridge never buys a free guess. The PIN goes to the token and nowhere else.

All token work in a process runs under one mutex and the token folder's lock, which the issuer
also takes for issuance, so a PIN write never meets an issuance or another bridge.

The bridge keeps its own map of the cards: label → token, and each finished card's holder from
its certificate. It re-reads the module and rebuilds the map only when the token folder's index
changes (a card issued or voided, card_mock/token/store.py) or after it put a token's files back;
otherwise a page or a PIN operation finds its card in the map, so its PKCS#11 work does not grow
with the number of cards in the reader (tests/card_mock/test_reader_index.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pkcs11
from cryptography import x509
from cryptography.x509.oid import NameOID

from ..token import Card
from ..token import TokenStore
from ..token import card_label
from ..token.store import CARD_LABEL_PREFIX
from . import states as journal
from . import webeid
from .errors import CardFailed
from .errors import CardLocked
from .errors import InvalidResetCode
from .errors import NoCard
from .errors import ReaderError
from .errors import WrongPin
from .snapshots import Snapshots
from .states import CardState
from .states import CardStates

log = logging.getLogger("card_mock.reader.service")

SIGN, CHANGE_PIN, UNBLOCK = "sign", "change_pin", "unblock"
STEPS = {
    SIGN: ("counted", "snapshotted", "logged_in", "signed", "committed"),
    CHANGE_PIN: ("counted", "snapshotted", "logged_in", "pin_set", "committed"),
    UNBLOCK: ("counted", "snapshotted", "code_verified", "pin_set", "committed"),
}
Checkpoint = Callable[[str], None]
Redeem = Callable[[str, str], str]  # (card serial, reset code) -> SO PIN, or raises


@dataclass(frozen=True)
class CardInfo:
    """A card in the reader as the pages show it: no secret in here."""

    serial: str
    holder: str
    eid: str
    state: CardState

    @property
    def usable(self) -> bool:
        return not self.state.locked


class CardReader:
    """The cards of one token folder and their durable state."""

    def __init__(self, tokens: TokenStore, states: CardStates, snapshots: Snapshots) -> None:
        self.tokens = tokens
        self.states = states
        self.snapshots = snapshots
        self._mutex = threading.Lock()  # python-pkcs11 sessions are process-wide
        self._stamp: tuple | None = None  # the index as last read; None: read it again
        self._tokens: dict[str, pkcs11.Token] = {}  # label → token in the loaded module
        self._holders: dict[str, tuple[str, str]] = {}  # serial → (holder, eID) of a card

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._mutex, self.tokens.lock():
            self._sync()
            yield

    def _sync(self) -> None:
        """Rebuild the map of the cards if the token folder's index changed since."""
        stamp = self.tokens.index_stamp()
        if stamp is not None and stamp == self._stamp:
            return
        self.tokens.refresh()  # see cards the issuer made since, drop stale sessions
        labels = {label for label in self.tokens.index() if label.startswith(CARD_LABEL_PREFIX)}
        self._tokens = self.tokens.tokens_by_label(labels)
        self._holders = {s: h for s, h in self._holders.items() if card_label(s) in labels}
        self._stamp = self.tokens.index_stamp()

    def cards(self) -> list[CardInfo]:
        """Every finished card in the reader, by serial."""
        with self._exclusive():
            serials = sorted(
                label.removeprefix(CARD_LABEL_PREFIX)
                for label, token in self._tokens.items()
                if self._finished(label.removeprefix(CARD_LABEL_PREFIX), token)
            )
            states = self.states.load_all(serials)
            return [CardInfo(s, *self._holders[s], states[s]) for s in serials]

    def _finished(self, serial: str, token: pkcs11.Token) -> bool:
        """Whether the card's certificate is on its token (a token without one is
        mid-issuance and is looked at again next time); its holder is remembered."""
        if serial not in self._holders:
            certificate = self._certificate(token)
            if certificate is None:
                return False
            self._holders[serial] = _holder(certificate)
        return True

    def sign(self, serial: str, pin: str, origin: str, challenge: str, step: Checkpoint) -> dict:
        """Sign the Web eID value for origin and challenge with the card; the token dict."""

        def work(card: Card) -> dict:
            certificate = card.certificate()
            if certificate is None:
                raise CardFailed()
            algorithm, hash_algorithm = webeid.signature_algorithm(certificate)
            digest = webeid.signed_digest(origin, challenge, hash_algorithm)
            signature = card.sign_digest(digest, hash_algorithm)
            step("signed")
            return webeid.web_eid_token(certificate, algorithm, signature)

        return self._with_pin(serial, SIGN, pin, work, step)

    def change_pin(self, serial: str, old_pin: str, new_pin: str, step: Checkpoint) -> None:
        """C_SetPIN after the old PIN is tried like any other."""

        def work(card: Card) -> None:
            card.change_pin(old_pin, new_pin)
            step("pin_set")

        self._with_pin(serial, CHANGE_PIN, old_pin, work, step)

    def unblock(
        self, serial: str, code: str, new_pin: str, redeem: Redeem, step: Checkpoint
    ) -> None:
        """Redeem the reset code at the authority, C_InitPIN with the SO PIN it returns."""
        with self._exclusive():
            token = self._token(serial)
            entry, state = self.states.count_reset_try(serial, UNBLOCK)
            step("counted")
            folder = self._snapshot(entry, token)
            step("snapshotted")
            try:
                so_pin = redeem(serial, code)
            except InvalidResetCode:
                self._close(entry, journal.FAILED)
                raise InvalidResetCode(state.reset_tries_left) from None
            except Exception:  # the code was not checked: the try is given back
                self.states.refund_reset_try(entry, serial)
                self.snapshots.discard(entry)
                raise
            step("code_verified")
            try:
                self._on_token(entry, folder, lambda: _init_pin(token, so_pin, new_pin))
            except pkcs11.exceptions.PinIncorrect:  # the authority's SO PIN does not fit
                log.error("card.so_pin_refused serial=%s", serial)
                raise CardFailed() from None
            step("pin_set")
            self.states.succeed(entry, serial, reset_tries=True)
            step("committed")
            self.snapshots.discard(entry)
        log.info("card.unblocked serial=%s", serial)

    def recover(self) -> int:
        """Close every operation a crash interrupted; return how many there were."""
        with self._exclusive():
            interrupted = self.states.unfinished()
            for entry in interrupted:
                if entry.state == journal.SNAPSHOTTED and entry.token_folder:
                    folder = self.tokens.folder / "tokens" / entry.token_folder
                    if folder.is_dir() and self.snapshots.path(entry.id).is_dir():
                        self.snapshots.restore(entry.id, folder)
                    self.states.finish(entry.id, journal.ROLLED_BACK)
                else:  # only counted: the token was never touched
                    self.states.finish(entry.id, journal.ABANDONED)
                log.warning(
                    "card.operation_recovered serial=%s operation=%s state=%s",
                    entry.serial,
                    entry.operation,
                    entry.state,
                )
            for orphan in self.snapshots.entries():  # the journal of each is closed now
                self.snapshots.discard(orphan)
            self.tokens.refresh()  # the module re-reads what was put back
            self._stamp = None
        return len(interrupted)

    def _with_pin(self, serial: str, operation: str, pin: str, work, step: Checkpoint):
        with self._exclusive():
            token = self._token(serial)
            entry, state = self.states.count_pin_try(serial, operation)
            step("counted")
            folder = self._snapshot(entry, token)
            step("snapshotted")

            def use_card():
                with Card.open(token, pin=pin) as card:
                    step("logged_in")
                    return work(card)

            try:
                result = self._on_token(entry, folder, use_card)
            except pkcs11.exceptions.PinIncorrect:
                log.info("card.pin_refused serial=%s tries_left=%s", serial, state.pin_tries_left)
                if state.locked:  # that was the last try: the card is locked now
                    raise CardLocked() from None
                raise WrongPin(state.pin_tries_left) from None
            self.states.succeed(entry, serial)
            step("committed")
            self.snapshots.discard(entry)
            return result

    def _on_token(self, entry: int, folder: Path | None, action):
        """Run a token action; if it fails, the token is put back and the journal closed."""
        try:
            return action()
        except pkcs11.exceptions.PinIncorrect:
            self._close(entry, journal.FAILED)  # the token wrote only its own flags: kept
            raise
        except Exception as error:
            if folder is not None:
                self.snapshots.restore(entry, folder)
                self._stamp = None  # the module must re-read the files put back
            self._close(entry, journal.ROLLED_BACK)
            if isinstance(error, ReaderError):
                raise
            log.exception("card.token_failed entry=%s", entry)
            raise CardFailed() from None

    def _close(self, entry: int, state: str) -> None:
        self.states.finish(entry, state)
        self.snapshots.discard(entry)

    def _snapshot(self, entry: int, token: pkcs11.Token) -> Path | None:
        folder = self.tokens.token_folder(token)
        if folder is not None:  # a real card's module: the chip's own writes are atomic
            self.snapshots.take(entry, folder)
            self.states.snapshotted(entry, folder.name)
        return folder

    def _token(self, serial: str) -> pkcs11.Token:
        token = self._tokens.get(card_label(serial)) if serial.isdigit() else None
        if token is None or not self._finished(serial, token):
            raise NoCard()
        return token

    @staticmethod
    def _certificate(token: pkcs11.Token | None) -> x509.Certificate | None:
        if token is None:
            return None
        with Card.open(token) as card:  # the certificate is a public object: no PIN
            return card.certificate()


def _init_pin(token: pkcs11.Token, so_pin: str, new_pin: str) -> None:
    with Card.open(token, so_pin=so_pin) as card:
        card.set_initial_pin(new_pin)


def _holder(certificate: x509.Certificate) -> tuple[str, str]:
    """(holder's name, eID number) from the card's certificate."""
    subject = certificate.subject

    def first(oid) -> str:
        values = subject.get_attributes_for_oid(oid)
        return str(values[0].value) if values else ""

    holder = first(NameOID.COMMON_NAME) or f"{first(NameOID.GIVEN_NAME)} {first(NameOID.SURNAME)}"
    return holder, first(NameOID.SERIAL_NUMBER)
