"""Synthetic holders (`silta-card holders seed --synthetic N`): distinct, valid, idempotent people
who can be issued cards, and who are nobody at the mock banks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bank_mock import customers as bank_customers
from card_mock.cli import main
from card_mock.issuer.holders import DEMO_HOLDERS
from card_mock.issuer.holders import SYNTHETIC_LIMIT
from card_mock.issuer.holders import synthetic_holder
from card_mock.issuer.identifiers import hetu_birthdate
from card_mock.issuer.identifiers import is_eid
from card_mock.issuer.verifiers import OPERATOR_PERMISSIONS
from card_mock.issuer.verifiers import hash_api_key

from .support import issuer_config

OPERATOR_KEY = "operator-key-" + "o" * 32


@pytest.fixture
def seed(tmp_path):
    runner = CliRunner(env={"CARD_INSTANCE_PATH": str(tmp_path / "issuer")})

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, ["holders", "seed", *args])
        assert (result.exit_code == 0) is ok, result.output
        return result

    return invoke


def test_seeding_adds_only_what_is_missing(seed):
    first = json.loads(seed("--synthetic", "5", "--json").output)
    assert first["added"] == len(DEMO_HOLDERS) + 5
    synthetic = [row for row in first["holders"] if row["synthetic"]]
    assert [row["eid"] for row in synthetic] == [synthetic_holder(i).eid for i in range(5)]
    again = json.loads(seed("--synthetic", "8", "--json").output)
    assert again["added"] == 3
    assert "0 holders added" in seed("--synthetic", "8").output


def test_the_text_output_names_the_synthetic_range(seed):
    output = seed("--synthetic", "3").output
    assert f"{len(DEMO_HOLDERS) + 3} holders added" in output
    assert f"3 synthetic holders, eID {synthetic_holder(0).eid} to {synthetic_holder(2).eid}" in (
        output
    )


@pytest.mark.parametrize("count", ["-1", str(SYNTHETIC_LIMIT + 1), "many"])
def test_a_bad_count_is_refused_and_nothing_is_stored(seed, count):
    result = seed("--synthetic", count, ok=False)
    assert result.exit_code == 2
    assert json.loads(seed("--json").output)["added"] == len(DEMO_HOLDERS)


def test_synthetic_people_are_valid_distinct_and_nobody_at_the_banks():
    people = [synthetic_holder(i) for i in range(SYNTHETIC_LIMIT)]
    assert all(is_eid(p.eid) for p in people[:: SYNTHETIC_LIMIT // 50])
    hetus = {p.national_id for p in people}
    assert len(hetus) == SYNTHETIC_LIMIT and len({p.eid for p in people}) == SYNTHETIC_LIMIT
    assert hetu_birthdate(people[-1].national_id) == people[-1].birthdate
    demo = {p.national_id for p in DEMO_HOLDERS} | {p.eid for p in DEMO_HOLDERS}
    assert not demo & (hetus | {p.eid for p in people})
    at_banks = {a.citizen.hetu for bank in bank_customers.BANK_PREFIX for a in
                bank_customers.accounts_for(bank, 3000)}  # fmt: skip
    assert not hetus & at_banks
    with pytest.raises(ValueError, match="index"):
        synthetic_holder(SYNTHETIC_LIMIT)


def test_an_operator_issues_a_card_to_a_synthetic_holder(make_issuer, tmp_path, seed):
    seed("--synthetic", "2")
    parties = issuer_config(tmp_path / "issuer")["VERIFIERS"] + [
        {
            "id": "silta-operator",
            "api_key_sha256": hash_api_key(OPERATOR_KEY),
            "permissions": list(OPERATOR_PERMISSIONS),
        }
    ]
    browser = make_issuer(tmp_path / "issuer", VERIFIERS=parties).test_client()
    holder = synthetic_holder(1)
    response = browser.post(
        "/api/cards",
        json={"holder": holder.eid, "pin": "5793"},
        headers={"Authorization": f"Bearer {OPERATOR_KEY}"},
    )
    assert response.status_code == 201, response.json
    assert response.json["holder"] == holder.eid
    assert response.json["name"] == f"{holder.given_name} {holder.family_name}"
