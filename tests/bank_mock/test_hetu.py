"""HETU generation and validation: the check character, the century signs, the test range."""

from __future__ import annotations

from datetime import date

import pytest

from bank_mock import hetu


@pytest.mark.parametrize(
    ("code", "birthdate"),
    [
        ("010170-999R", date(1970, 1, 1)),  # int("010170999") % 31 = 17 → R
        ("070770-905D", date(1970, 7, 7)),  # int("070770905") % 31 = 13 → D
        ("311299-999E", date(1999, 12, 31)),  # 311299999 % 31 = 14 → E
        ("131052-308T", date(1952, 10, 13)),  # an ordinary (non-test) individual number
        ("010170Y999R", date(1970, 1, 1)),  # 2023 signs for the 1900s share the checksum
        ("010170X999R", date(1970, 1, 1)),
        ("010170W999R", date(1970, 1, 1)),
        ("010170V999R", date(1970, 1, 1)),
        ("010170U999R", date(1970, 1, 1)),
        ("010105A902U", date(2005, 1, 1)),  # 010105902 % 31 = 26 → U
        ("010105B902U", date(2005, 1, 1)),  # 2023 signs for the 2000s
        ("010105C902U", date(2005, 1, 1)),
        ("010105D902U", date(2005, 1, 1)),
        ("010105E902U", date(2005, 1, 1)),
        ("010105F902U", date(2005, 1, 1)),
        ("290200A902D", date(2000, 2, 29)),  # a leap day: 290200902 % 31 = 13 → D
        ("010195+9022", date(1895, 1, 1)),  # 010195902 % 31 = 2 → 2
    ],
)
def test_valid_codes_give_their_birthdate(code, birthdate):
    assert hetu.validate(code) == birthdate


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("010170-999S", "check character"),  # one off
        ("010170-999", "form"),  # too short
        ("010170-999RX", "form"),  # too long
        ("010170*999R", "sign"),  # unknown century sign
        ("010170G999R", "sign"),  # G is not a sign (F is the last of the 2000s)
        ("010170a999R", "sign"),  # signs are upper case
        ("320170-999R", "date"),  # 32 January
        ("290201A902D", "date"),  # 2001 was not a leap year
        ("011370-999R", "date"),  # month 13
        ("010170-001J", "individual"),  # 001 is never issued
        ("010170-000?", "form"),
        ("", "form"),
        ("01017O-999R", "form"),  # a letter O where a digit belongs
    ],
)
def test_invalid_codes_are_refused_with_a_reason(code, reason):
    with pytest.raises(hetu.InvalidHetu):
        hetu.validate(code)


def test_the_check_characters_are_the_31_of_the_decree():
    assert len(hetu.CHECK_CHARACTERS) == 31
    assert not set("GIOQZ") & set(hetu.CHECK_CHARACTERS)


@pytest.mark.parametrize(
    ("birthdate", "individual", "sign", "expected"),
    [
        (date(1970, 1, 1), 999, None, "010170-999R"),
        (date(1970, 7, 7), 905, None, "070770-905D"),
        (date(1970, 1, 1), 999, "Y", "010170Y999R"),
        (date(2005, 1, 1), 902, None, "010105A902U"),
        (date(2005, 1, 1), 902, "B", "010105B902U"),
        (date(1895, 1, 1), 902, None, "010195+9022"),
    ],
)
def test_generate(birthdate, individual, sign, expected):
    assert hetu.generate(birthdate, individual, sign) == expected
    assert hetu.validate(expected) == birthdate


@pytest.mark.parametrize(
    ("birthdate", "individual", "sign"),
    [
        (date(1970, 1, 1), 999, "A"),  # a 2000s sign for a 1900s birth
        (date(2005, 1, 1), 999, "-"),
        (date(1970, 1, 1), 1, None),  # 001 is not issued
        (date(1970, 1, 1), 1000, None),
        (date(1799, 1, 1), 999, None),  # no sign for the 1700s
    ],
)
def test_generate_refuses_what_cannot_be_a_code(birthdate, individual, sign):
    with pytest.raises(hetu.InvalidHetu):
        hetu.generate(birthdate, individual, sign)


def test_test_codes_are_the_900_to_999_range():
    assert hetu.is_test_code("010170-999R")
    assert hetu.is_test_code("070770-905D")
    assert not hetu.is_test_code("131052-308T")
