"""Key rotation as a schedule: which key signs, which are published, worked out by every node."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from idp.oidc.keys import schedule

GRACE, LIFETIME, T = 100, 600, 1_000_000


def key(kid: str, created: int, state: str, alg: str = "RS256", retired_at=None):
    return SimpleNamespace(kid=kid, alg=alg, created_at=created, state=state, retired_at=retired_at)


def plan(rows, now):
    result = schedule(rows, now, GRACE, LIFETIME)
    return (
        {a: r.kid for a, r in result.signing.items()},
        sorted(r.kid for r in result.published),
        result.states,
    )


def test_a_next_key_is_published_at_once_but_does_not_sign_before_the_grace():
    rows = [key("old", T - 10_000, "current"), key("new", T, "next")]
    signing, published, states = plan(rows, T + GRACE - 1)
    assert signing == {"RS256": "old"}
    assert published == ["new", "old"]
    assert states == {"old": "current", "new": "next"}


def test_after_the_grace_the_next_key_signs_and_the_old_one_is_still_published():
    rows = [key("old", T - 10_000, "current"), key("new", T, "next")]
    signing, published, states = plan(rows, T + GRACE)
    assert signing == {"RS256": "new"}
    assert published == ["new", "old"]
    assert states["old"] == "retired"


def test_a_retired_key_leaves_the_jwks_once_its_last_id_token_expired():
    rows = [key("old", T - 10_000, "current"), key("new", T, "next")]
    assert plan(rows, T + GRACE + LIFETIME + 59)[1] == ["new", "old"]
    assert plan(rows, T + GRACE + LIFETIME + 60)[1] == ["new"]


def test_settled_states_give_the_same_answer():
    rows = [key("old", T - 10_000, "retired", retired_at=T + GRACE), key("new", T, "current")]
    assert plan(rows, T + GRACE + 1)[:2] == ({"RS256": "new"}, ["new", "old"])
    assert plan(rows, T + GRACE + LIFETIME + 60)[1] == ["new"]


def test_algorithms_rotate_independently():
    rows = [
        key("rsa", T - 10_000, "current"),
        key("ec", T - 10_000, "current", "ES256"),
        key("rsa2", T, "next"),
    ]
    signing, _, _ = plan(rows, T + GRACE)
    assert signing == {"RS256": "rsa2", "ES256": "ec"}


@pytest.mark.parametrize("now", [T, T + GRACE, T + 10 * GRACE])
def test_two_rotations_in_a_row_sign_with_the_newest_due_key(now):
    rows = [key("a", T - 10_000, "current"), key("b", T - GRACE, "next"), key("c", T, "next")]
    expected = "c" if now >= T + GRACE else "b"
    assert plan(rows, now)[0] == {"RS256": expected}
