"""What-if overrides, sensitivity swings and the offline command end to end (small samples)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from policy_sim import overrides
from policy_sim import scenario
from policy_sim import sensitivity
from policy_sim.cli import compare
from policy_sim.cli import parse_seeds
from policy_sim.uncertainty import Study
from policy_sim.uncertainty import many


def data(name: str = "silta-hybrid") -> dict:
    return scenario.read(scenario.builtin(name))


def test_an_override_is_validated_and_becomes_its_own_source():
    found = overrides.apply(data(), "h", [overrides.read("policy.phone_supported.iphone=0.5")])
    assert found.policy.phone_supported == {"android_nfc": 1.0, "iphone": 0.5}
    assert scenario.kind(found.sources["policy.phone_supported"]) == scenario.OVERRIDE
    assert found.overrides == (("policy.phone_supported.iphone", "0.5"),)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("card.tries", "expected .SCENARIO:.section.parameter=VALUE"),
        ("card=3", "name a parameter as section.parameter"),
        ("card.recall_mean=high", "is not a value"),
        ("card.recall_mean=1.5", "card.recall_mean: must be a share"),
        ("policy.phone_supported.watch=1.0", "has no key watch"),
    ],
)
def test_bad_overrides_are_refused_clearly(given, message):
    with pytest.raises(scenario.ScenarioError, match=message):
        overrides.apply(data(), "h", [overrides.read(given)])


def test_a_scenario_prefix_limits_an_override():
    only = overrides.read("japan-2019:card.recall_mean=0.9")
    assert not overrides.applies(only, data())
    assert overrides.applies(only, data("japan-2019"))


def test_the_bank_share_moves_the_hybrid_and_not_the_card_only_policy():
    hybrid = scenario.load(scenario.builtin("silta-hybrid"))
    swing = next(s for s in sensitivity.swings(hybrid, 400, [1, 2]) if
                 s.parameter == "population.bank_customer_share")  # fmt: skip
    assert swing.at_low["online_share"] < swing.at_high["online_share"]
    base = sensitivity.headlines(Study(hybrid, 400, many(hybrid, 400, [1, 2])))
    assert swing.at_low["online_share"] <= base["online_share"] <= swing.at_high["online_share"]
    surge = scenario.load(scenario.builtin("japan-2020-payment-surge"))
    low, high = (surge.replaced({"population.bank_customer_share": v}) for v in (0.45, 0.8))
    a, b = (Study(s, 300, many(s, 300, [1])).estimate("online_share").median for s in (low, high))
    assert a == b  # the card-only policy never asks for the bank


def test_seeds_are_a_count_or_a_range():
    assert parse_seeds("3") == [1, 2, 3] and parse_seeds("5-7") == [5, 6, 7]
    for bad in ("0", "7-5", "x", "1-2000"):
        with pytest.raises(Exception, match=r"seeds|FIRST-LAST"):
            parse_seeds(bad)


def test_the_offline_command_writes_the_report(tmp_path):
    args = ["japan-2019", "silta-hybrid", "--sample=200", "--seeds=2", "--no-progress",
            "--sensitivity-sample=100", "--sensitivity-seeds=1", "--workers=1",
            "--set=silta-hybrid:population.bank_customer_share=0.75",
            f"--out={tmp_path}"]  # fmt: skip
    result = CliRunner().invoke(compare, args)
    assert result.exit_code == 0, result.output
    html = (tmp_path / "report.html").read_text()
    assert "Executive summary" in html and "Back-test against 2019" in html
    assert "not measured (offline run)" in html


def test_an_override_matching_no_scenario_is_an_error(tmp_path):
    args = ["japan-2019", "--set=finland:card.tries=4", "--no-sensitivity", f"--out={tmp_path}"]
    result = CliRunner().invoke(compare, args)
    assert result.exit_code != 0 and "matches no scenario" in result.output
