"""C2SP signed notes: text, a blank line, then ``— <key name> base64(key ID || signature)`` lines.

``parse`` reads a note strictly; ``open_note`` verifies it against trusted keys with the spec's
rules: signatures from unknown keys are ignored, a known key's signature must verify, and at
least one must. ``sign`` adds signatures.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

from .keys import KeyFormatError
from .keys import SignerKey
from .keys import VerifierKey
from .keys import check_name
from .keys import strict_b64decode

DASH = "\u2014 "  # em dash, space
# signed-note §Signatures: verifiers "MUST accept at least up to 16 signatures".
MAX_SIGNATURES = 100
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class NoteError(ValueError):
    """A note that is malformed or does not verify; the message says which and why."""


@dataclass(frozen=True)
class Signature:
    """One signature line: the key's name, its 32-bit ID and the signature bytes after it."""

    name: str
    key_id: int
    signature: bytes

    def line(self) -> str:
        encoded = base64.b64encode(self.key_id.to_bytes(4, "big") + self.signature).decode()
        return f"{DASH}{self.name} {encoded}\n"


@dataclass(frozen=True)
class Note:
    """A note's text (ending in a newline) and its signatures, in the order written."""

    text: str
    signatures: tuple[Signature, ...]

    def __str__(self) -> str:
        return self.text + "\n" + "".join(s.line() for s in self.signatures)


@dataclass(frozen=True)
class OpenedNote:
    """A note whose ``verified`` signatures checked out against trusted keys."""

    note: Note
    verified: tuple[tuple[VerifierKey, Signature], ...]

    @property
    def text(self) -> str:
        return self.note.text


def parse(message: str | bytes) -> Note:
    """Read a signed note strictly (signed-note §Format), verifying nothing."""
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError:
            raise NoteError("a note must be UTF-8") from None
    if CONTROL.search(message) or "\ufffd" in message:
        raise NoteError("a note must not hold control characters other than newline")
    split = message.rfind("\n\n")
    if split < 0:
        raise NoteError("a note needs a blank line between its text and its signatures")
    text, lines = message[: split + 1], message[split + 2 :]
    if not lines.endswith("\n"):
        raise NoteError("a note must end with a signature line and a newline")
    signatures = tuple(_signature(line) for line in lines[:-1].split("\n"))
    if len(signatures) > MAX_SIGNATURES:
        raise NoteError(f"a note may hold at most {MAX_SIGNATURES} signatures")
    return Note(text, signatures)


def _signature(line: str) -> Signature:
    if not line.startswith(DASH):
        raise NoteError("every line after the blank line must be a signature (— name sig)")
    name, space, encoded = line[len(DASH) :].partition(" ")
    try:
        check_name(name)
        raw = strict_b64decode(encoded)
    except KeyFormatError as error:
        raise NoteError(f"malformed signature line: {error}") from None
    if not space or len(raw) < 5:
        raise NoteError("a signature line holds a key ID and a signature")
    return Signature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def open_note(message: str | bytes | Note, keys: Sequence[VerifierKey]) -> OpenedNote:
    """Verify a note against trusted keys, or raise NoteError saying why it is refused."""
    note = message if isinstance(message, Note) else parse(message)
    verified: dict[tuple[str, int, bytes], tuple[VerifierKey, Signature]] = {}
    for signature in note.signatures:
        matching = [k for k in keys if (k.name, k.key_id) == (signature.name, signature.key_id)]
        if len(set(matching)) > 1:
            raise NoteError(f"ambiguous key {signature.name}+{signature.key_id:08x}")
        if not matching:
            continue  # signed-note: "Verifiers MUST ignore signatures from unknown keys"
        if not matching[0].verify(note.text, signature.signature):
            raise NoteError(f"invalid signature for key {signature.name}+{signature.key_id:08x}")
        verified[(signature.name, signature.key_id, signature.signature)] = (
            matching[0],
            signature,
        )
    if not verified:
        raise NoteError("the note has no signature from a trusted key")
    return OpenedNote(note, tuple(verified.values()))


def sign(text: str, signers: Iterable[SignerKey], *, timestamp: int | None = None) -> str:
    """The note ``text`` signed by each signer (cosigners sign at ``timestamp``, or now)."""
    if not text.endswith("\n") or CONTROL.search(text):
        raise NoteError("a note's text ends in a newline and holds no control characters")
    signatures = tuple(
        Signature(s.name, s.verifier.key_id, s.sign(text, timestamp)) for s in signers
    )
    return str(Note(text, signatures))


def add_signatures(message: str, signatures: Iterable[Signature]) -> str:
    """The note with more signature lines appended (a witness's cosignatures, say)."""
    note = parse(message)
    merged = note.signatures + tuple(s for s in signatures if s not in note.signatures)
    return str(Note(note.text, merged))
