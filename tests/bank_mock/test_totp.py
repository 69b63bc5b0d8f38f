"""Key codes against RFC 6238 Appendix B, and the ±1 step window."""

from __future__ import annotations

import pytest

from bank_mock import customers
from bank_mock import totp

RFC_SECRET = b"12345678901234567890"  # RFC 6238 Appendix B, the SHA-1 seed


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc_6238_appendix_b_sha1(at, expected):
    assert totp.code_at(RFC_SECRET, at, digits=8) == expected
    # The six-digit code is the same truncation modulo 10^6: the last six digits.
    assert totp.code_at(RFC_SECRET, at) == expected[-6:]


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [(-60, False), (-30, True), (0, True), (30, True), (60, False)],
)
def test_one_step_either_side_is_accepted(offset, accepted):
    at = 1111111111
    code = totp.code_at(RFC_SECRET, at + offset)
    assert totp.verify(RFC_SECRET, code, at) is accepted


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12345a", "１２３４５６", None])
def test_malformed_codes_are_refused(code):
    assert totp.verify(RFC_SECRET, code, 59) is False


def test_seconds_left_counts_down_to_the_next_step():
    assert totp.seconds_left(60) == 30
    assert totp.seconds_left(89) == 1


def test_customer_secrets_are_deterministic_and_differ_per_bank():
    first = customers.totp_secret("aurora", "10245731")
    assert first == customers.totp_secret("aurora", "10245731")
    assert len(first) == 20
    assert first != customers.totp_secret("kide", "10245731")
