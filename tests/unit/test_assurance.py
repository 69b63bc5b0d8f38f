"""Levels of assurance: what a request demands and how the answer is named."""

import pytest

from idp import assurance as a


@pytest.mark.parametrize(
    ("acr_values", "client_required", "floor"),
    [
        (None, None, 0),
        ("", None, 0),
        (a.FTN_LOA2, None, 2),
        (a.FTN_LOA3, None, 3),
        (f"{a.FTN_LOA3} {a.FTN_LOA2}", None, 2),  # any listed value is acceptable
        (a.EIDAS_HIGH, None, 3),
        ("urn:unknown", None, 0),  # OIDC Core §3.1.2.1: acr_values are voluntary
        (a.FTN_LOA2, a.FTN_LOA3, 3),  # the client's registered floor always applies
        (None, a.EIDAS_SUBSTANTIAL, 2),
    ],
)
def test_requested_floor(acr_values, client_required, floor):
    assert a.requested_floor(acr_values, client_required) == floor


@pytest.mark.parametrize(
    ("achieved", "asked", "answer"),
    [
        (a.FTN_LOA2, None, a.FTN_LOA2),
        (a.FTN_LOA3, a.EIDAS_SUBSTANTIAL, a.EIDAS_HIGH),
        (a.EIDAS_SUBSTANTIAL, a.FTN_LOA2, a.FTN_LOA2),
        (a.EIDAS_HIGH, None, a.FTN_LOA3),
    ],
)
def test_answer_uses_the_vocabulary_asked_in(achieved, asked, answer):
    assert a.express(achieved, asked) == answer


def test_level_of_unknown_value_is_zero():
    assert a.level("nope") == 0
    assert a.level(None) == 0
