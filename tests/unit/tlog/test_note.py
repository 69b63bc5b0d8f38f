"""Signed notes and their keys against golang.org/x/mod's sumdb/note tests (``note_test.go``).

The PeterNeumann and EnochRoot keys and signatures are that file's; the cosignature/v1 key
(remora.n621.de) and timestamped signature are from transparency-dev/formats'
``note/note_cosigv1_test.go``.
"""

from __future__ import annotations

import pytest

from silta_common.tlog import cosignature
from silta_common.tlog import keys
from silta_common.tlog import note
from silta_common.tlog.keys import KeyFormatError
from silta_common.tlog.keys import SignerKey
from silta_common.tlog.keys import VerifierKey
from silta_common.tlog.note import NoteError

PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKv"
    "qfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = (
    "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGw"
    "nWLox33WWd1RvMc+QQ=\n"
)
COSIGNER_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
ED25519_VKEY = "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6"
TIMESTAMPED = "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA=="  # noqa: E501


def test_verifier_keys_parse_and_print_back():
    for text in (PETER_VKEY, ENOCH_VKEY, COSIGNER_VKEY, ED25519_VKEY):
        assert str(VerifierKey.parse(text)) == text
    assert VerifierKey.parse(PETER_VKEY).key_id == 0xC74F20A3
    assert VerifierKey.parse(COSIGNER_VKEY).key_type == keys.COSIGNATURE_V1


def test_every_mangled_verifier_key_is_refused():
    """As Go's TestNewVerifier: every proper substring, and every byte changed by one."""
    for i in range(len(PETER_VKEY) + 1):
        for j in range(i + 1, len(PETER_VKEY) + 1):
            if (i, j) != (0, len(PETER_VKEY)):
                with pytest.raises(KeyFormatError):
                    VerifierKey.parse(PETER_VKEY[i:j])
    for i, character in enumerate(PETER_VKEY):
        mangled = PETER_VKEY[:i] + chr(ord(character) + 1) + PETER_VKEY[i + 1 :]
        with pytest.raises(KeyFormatError):
            VerifierKey.parse(mangled)


@pytest.mark.parametrize(
    "text",
    [
        # Go's: a wrong length key and an unknown algorithm, each with an adjusted key hash.
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        # transparency-dev/formats': wrong parts, bad base64, bad algorithm, bad or wrong hash.
        "bananas.sigstore.dev+12344556",
        "rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!",
        "rekor.sigstore.dev+12345678+AwEB",
        "PeterNeumann+NOT_A_NUMBER+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_bad_verifier_keys_are_refused(text):
    with pytest.raises(KeyFormatError):
        VerifierKey.parse(text)


def test_signer_key_signs_exactly_as_go_does():
    signer = SignerKey.parse(PETER_SKEY)
    assert str(signer.verifier) == PETER_VKEY
    assert signer.private_string() == PETER_SKEY
    assert note.sign(TEXT, [signer]) == TEXT + "\n" + PETER_SIG
    assert PETER_SKEY not in repr(signer)


def test_every_mangled_signer_key_is_refused():
    for i in range(len(PETER_SKEY) + 1):
        for j in range(i + 1, len(PETER_SKEY) + 1):
            if (i, j) != (0, len(PETER_SKEY)):
                with pytest.raises(KeyFormatError):
                    SignerKey.parse(PETER_SKEY[i:j])


def test_a_note_opens_with_the_keys_that_signed_it():
    peter, enoch = VerifierKey.parse(PETER_VKEY), VerifierKey.parse(ENOCH_VKEY)
    opened = note.open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter])
    assert opened.text == TEXT
    assert [key for key, _ in opened.verified] == [peter]  # Enoch's is unknown: ignored
    opened = note.open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter, enoch])
    assert [key for key, _ in opened.verified] == [peter, enoch]
    opened = note.open_note(TEXT + "\n" + PETER_SIG + PETER_SIG, [peter])
    assert len(opened.verified) == 1  # the same signature twice counts once


def test_a_note_without_a_trusted_signature_is_refused():
    with pytest.raises(NoteError, match="no signature from a trusted key"):
        note.open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])


def test_a_bad_signature_from_a_trusted_key_refuses_the_note():
    bad = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]
    with pytest.raises(NoteError, match="invalid signature for key PeterNeumann"):
        note.open_note(TEXT + "\n" + bad, [VerifierKey.parse(PETER_VKEY)])


def test_a_changed_text_fails_its_signature():
    changed = TEXT.replace("answer", "ANSWER")
    with pytest.raises(NoteError, match="invalid signature"):
        note.open_note(changed + "\n" + PETER_SIG, [VerifierKey.parse(PETER_VKEY)])


class Colliding(VerifierKey):
    """Another key whose 32-bit ID collides with EnochRoot's (found by brute force, say)."""

    @property
    def key_id(self) -> int:
        return 0xAF0CFE78


def test_two_keys_with_one_name_and_id_are_ambiguous():
    enoch = VerifierKey.parse(ENOCH_VKEY)
    with pytest.raises(NoteError, match="ambiguous key EnochRoot"):
        note.open_note(TEXT + "\n" + ENOCH_SIG, [enoch, Colliding(enoch.name, 1, bytes(32))])
    # The same key given twice is no ambiguity.
    assert note.open_note(TEXT + "\n" + ENOCH_SIG, [enoch, enoch]).verified


@pytest.mark.parametrize(
    "message",
    [
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        b"\xff" + (TEXT + "\n" + PETER_SIG).encode(),
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name"),
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        TEXT + "\n" + PETER_SIG * (note.MAX_SIGNATURES + 1),
        TEXT + "\n" + "— PeterNeumann AAAA\n",  # a key ID and no signature
        TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG,
    ],
)
def test_malformed_notes_are_refused(message):
    with pytest.raises(NoteError):
        note.parse(message)


def test_a_cosignature_key_id_and_time_are_the_specs():
    raw = keys.strict_b64decode(TIMESTAMPED)
    assert cosignature.unpack(raw[4:])[0] == 1727964367
    with pytest.raises(cosignature.CosignatureError):
        cosignature.unpack(raw[4:-1])


def test_a_cosignature_signs_the_timestamped_message():
    witness = SignerKey.generate("witness.example/w1", keys.COSIGNATURE_V1)
    body = "example.com/log\n3\n" + "A" * 43 + "=\n"
    signed = note.sign(body, [witness], timestamp=1679315147)
    [(key, signature)] = note.open_note(signed, [witness.verifier]).verified
    assert key == witness.verifier
    assert cosignature.unpack(signature.signature)[0] == 1679315147
    message = cosignature.signed_message(body, 1679315147)
    assert message == b"cosignature/v1\ntime 1679315147\n" + body.encode()
    # The same Ed25519 key read as a plain note key (type 0x01) does not verify it.
    plain = VerifierKey(witness.name, keys.ED25519, witness.verifier.public_key)
    assert not plain.verify(body, signature.signature)


def test_a_cosignature_with_another_time_fails():
    witness = SignerKey.generate("witness.example/w1", keys.COSIGNATURE_V1)
    body = "example.com/log\n3\n" + "A" * 43 + "=\n"
    [signature] = note.parse(note.sign(body, [witness], timestamp=100)).signatures
    moved = cosignature.pack(101, cosignature.unpack(signature.signature)[1])
    assert not witness.verifier.verify(body, moved)


def test_signatures_are_appended_once():
    signer = SignerKey.parse(PETER_SKEY)
    signed = note.sign(TEXT, [signer])
    [signature] = note.parse(signed).signatures
    assert note.add_signatures(signed, [signature]) == signed
