"""The eID number format and the HETU check, as the register uses them."""

from __future__ import annotations

from datetime import date

import pytest

from card_mock.issuer.identifiers import InvalidIdentifier
from card_mock.issuer.identifiers import eid_for
from card_mock.issuer.identifiers import hetu_birthdate
from card_mock.issuer.identifiers import hetu_for
from card_mock.issuer.identifiers import is_eid


def test_eid_has_nine_digits_and_a_check_letter():
    eid = eid_for(100000001)
    assert eid == "100000001V" and is_eid(eid)
    assert not is_eid("100000001A")  # wrong check letter
    assert not is_eid("10000001V")


@pytest.mark.parametrize(
    ("code", "born"), [("010170-999R", date(1970, 1, 1)), ("070770-905D", date(1970, 7, 7))]
)
def test_known_test_codes(code, born):
    assert hetu_birthdate(code) == born
    assert hetu_for(born, int(code[7:10])) == code


@pytest.mark.parametrize("code", ["010170-999S", "320170-999R", "010170*999R", ""])
def test_invalid_hetu(code):
    with pytest.raises(InvalidIdentifier):
        hetu_birthdate(code)
