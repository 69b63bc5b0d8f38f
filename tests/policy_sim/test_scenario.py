"""Scenario files: the shipped ones load with every parameter sourced; bad ones fail clearly."""

from __future__ import annotations

import tomllib

import pytest

from policy_sim import scenario

SHIPPED = ["japan-2019", "japan-2020-payment-surge", "finland", "silta-hybrid"]


def raw(name: str = "japan-2020-payment-surge") -> dict:
    return tomllib.loads(scenario.builtin(name).read_text())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_scenarios_load_with_a_source_for_every_parameter(name):
    loaded = scenario.load(scenario.builtin(name))
    assert loaded.name == name
    params = loaded.parameters()
    assert params and all(source for _, _, source in params)


def test_the_issue_figures_are_in_the_japanese_scenarios():
    japan = scenario.load(scenario.builtin("japan-2019"))
    assert japan.population.card_holder_share == 0.13
    assert japan.capacity.provisioned_logins_per_month == 20_250_000
    assert japan.policy.methods == ("card",)
    assert "iphone" not in japan.policy.card_devices
    hybrid = scenario.load(scenario.builtin("silta-hybrid"))
    assert hybrid.policy.methods == ("bank", "card")
    assert "iphone" in hybrid.policy.card_devices


def test_assumptions_are_marked():
    loaded = scenario.load(scenario.builtin("japan-2019"))
    assert scenario.is_assumption(loaded.sources["population.pin_recall_mean"])
    assert not scenario.is_assumption(loaded.sources["population.card_holder_share"])


DELETE = object()


def edit(data: dict, path: tuple[str, ...], value) -> None:
    """Set (or delete) one value; source keys contain dots themselves, hence a tuple path."""
    target = data
    for part in path[:-1]:
        target = target[part]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("population", "card_holder_share"), 1.3, "population.card_holder_share: must be a share"),
        (("population", "residents"), -5, "population.residents: must be a whole number"),
        (("population", "residents"), True, "population.residents: must be a whole number"),
        (("population", "colour"), "blue", "unknown parameters ['colour']"),
        (("population", "devices", "iphone"), 0.9, "shares must add up to 1"),
        (("population", "banks"), {"aurora": 1.0}, "needs exactly the keys"),
        (("policy", "methods"), ["card", "passport"], "unknown ['passport']"),
        (("policy", "methods"), [], "at least one"),
        (("policy", "unblock"), "post", "policy.unblock: must be one of"),
        (("policy", "card_devices"), ["none"], "unknown ['none']"),
        (("capacity", "issuance_days"), 1.5, "capacity.issuance_days: must be a whole number"),
        (("demand", "share"), "all", "demand.share: must be a number"),
        (("demand", "window_days"), 0, "demand.window_days: must be at least 1"),
        (("capacity", "cores_per_server"), 0, "capacity.cores_per_server: must be at least 1"),
        (("policy",), DELETE, "missing the [policy] table"),
        (("capacity", "cores_per_server"), DELETE, "lacks ['cores_per_server']"),
        (("sources", "population.residents"), DELETE, "[sources] lacks ['population.residents']"),
        (("sources", "nonsense.parameter"), "a source", "[sources] names unknown parameters"),
        (("sources", "demand.share"), "  ", "sources.demand.share: must be a non-empty string"),
        (("population", "patience_tries_min"), 5, "patience_tries_min is above"),
        (("title",), "", "title: must be a non-empty string"),
        (("colour",), "blue", "unknown top-level keys ['colour']"),
    ],
)
def test_validation_errors_name_the_file_and_the_parameter(path, value, message):
    data = raw()
    edit(data, path, value)
    with pytest.raises(scenario.ScenarioError) as caught:
        scenario.parse(data, "broken.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("broken.toml")


def test_card_policy_without_devices_is_refused():
    data = raw()
    data["policy"]["card_devices"] = []
    with pytest.raises(scenario.ScenarioError, match="card_devices is empty"):
        scenario.parse(data, "x.toml")


def test_unreadable_files_are_reported(tmp_path):
    with pytest.raises(scenario.ScenarioError, match="no such scenario file"):
        scenario.load(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("name = ")
    with pytest.raises(scenario.ScenarioError, match="not valid TOML"):
        scenario.load(bad)
