"""The broker's check of Finnish personal identity codes before it trusts one."""

import datetime

import pytest

from idp.authenticators.hetu import birthdate
from idp.authenticators.hetu import is_valid


@pytest.mark.parametrize(
    ("code", "born"),
    [
        ("010170-999R", datetime.date(1970, 1, 1)),
        ("070770-905D", datetime.date(1970, 7, 7)),
        ("010170Y999R", datetime.date(1970, 1, 1)),  # 2023 sign for the 1900s
        ("010105A934V", datetime.date(2005, 1, 1)),
        ("010105B934V", datetime.date(2005, 1, 1)),  # 2023 sign for the 2000s
        ("010180+9026", datetime.date(1880, 1, 1)),
    ],
)
def test_valid_codes_give_their_birthdate(code, born):
    assert birthdate(code) == born


@pytest.mark.parametrize(
    "code",
    [
        "010170-999S",  # wrong check character
        "310270-999W",  # no 31 February, though the check character fits
        "010170Z999R",  # unknown century sign
        "010170-001?",  # individual number below 002
        "010170-999",  # too short
        "",
        None,
        "010170-999r",  # lower case is not the format
    ],
)
def test_invalid_codes_are_refused(code):
    assert not is_valid(code)
