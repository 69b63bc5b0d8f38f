"""The login and consent policy, check by check (STYLE rule 6: a table per rule)."""

from __future__ import annotations

import pytest

from idp.interaction.policy import PolicyContext
from idp.interaction.policy import SessionFacts
from idp.interaction.policy import evaluate

NOW = 1_800_000_000
FRESH = SessionFacts(auth_time=NOW - 10, acr_level=2, authenticated_here=False)


def context(**changes) -> PolicyContext:
    base = dict(
        now=NOW,
        prompt=frozenset(),
        max_age=None,
        acr_floor=0,
        session=FRESH,
        requested_claims=frozenset({"given_name"}),
        granted_before=frozenset({"given_name"}),
        consented_here=False,
    )
    base.update(changes)
    return PolicyContext(**base)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, None),
        ({"session": None}, "no_session"),
        ({"prompt": frozenset({"login"})}, "login_prompt"),
        (
            {
                "prompt": frozenset({"login"}),
                "session": SessionFacts(NOW, 2, authenticated_here=True),
            },
            None,
        ),
        ({"max_age": 5}, "max_age"),
        ({"max_age": 10}, None),  # exactly max_age old is still acceptable
        ({"max_age": 0, "session": SessionFacts(NOW - 1, 2, authenticated_here=True)}, None),
        ({"acr_floor": 3}, "acr_not_met"),
        ({"acr_floor": 2}, None),
        ({"session": SessionFacts(NOW, 2, False, matches_hint=False)}, "id_token_hint"),
        ({"prompt": frozenset({"consent"})}, "consent_prompt"),
        ({"prompt": frozenset({"consent"}), "consented_here": True}, None),
        ({"granted_before": None}, "consent_missing"),
        ({"granted_before": None, "requested_claims": frozenset()}, None),
        ({"requested_claims": frozenset({"given_name", "birthdate"})}, "claims_missing"),
        (
            {"requested_claims": frozenset({"given_name", "birthdate"}), "consented_here": True},
            None,
        ),
        # Order is policy: a login need is reported before a consent need.
        ({"session": None, "granted_before": None}, "no_session"),
        ({"acr_floor": 3, "prompt": frozenset({"consent"})}, "acr_not_met"),
    ],
)
def test_first_firing_check_is_reported(changes, expected):
    check = evaluate(context(**changes))
    assert (check.name if check else None) == expected


def test_login_checks_prompt_login_and_consent_checks_prompt_consent():
    assert evaluate(context(session=None)).prompt == "login"
    assert evaluate(context(granted_before=None)).prompt == "consent"
