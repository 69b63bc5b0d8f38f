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
    surge = scenario.load(scenario.builtin("japan-2020-payment-surge"))
    # By May 2020 iPhones read the card, and the application needed the signature password.
    assert "iphone" in surge.policy.card_devices and surge.policy.phone_supported["iphone"] > 0
    assert (surge.card.secret, surge.card.tries) == ("password", 5)
    assert surge.municipalities.count == 1_741
    assert surge.municipalities.online_start[0] == pytest.approx(679 / 1741, abs=1e-3)
    hybrid = scenario.load(scenario.builtin("silta-hybrid"))
    assert hybrid.policy.methods == ("bank", "card")
    assert "iphone" in hybrid.policy.card_devices


@pytest.mark.parametrize("name", SHIPPED)
def test_every_assumed_or_fitted_number_has_a_range(name):
    loaded = scenario.load(scenario.builtin(name))
    for param, value, _source in loaded.parameters():
        if scenario.ranged(loaded, param):
            low, high = loaded.ranges[param]
            assert low <= value <= high
        else:
            assert param not in loaded.ranges


def test_kinds_are_read_from_the_first_word_of_the_source():
    loaded = scenario.load(scenario.builtin("japan-2020-payment-surge"))
    kinds = {name: scenario.kind(src) for name, _, src in loaded.parameters()}
    assert kinds["card.recall_mean"] == scenario.ASSUMPTION
    assert kinds["population.online_intent_share"] == scenario.FITTED
    assert kinds["population.card_holder_share"] == scenario.SOURCED


@pytest.mark.parametrize("text", ["As japan-2020 (assumption)", "fitted to the May counts"])
def test_a_source_that_reads_as_an_assumption_must_say_so_first(text):
    data = raw()
    data["sources"]["population.residents"] = text
    with pytest.raises(scenario.ScenarioError, match="does not start with"):
        scenario.parse(data, "x.toml")


def test_ranges_must_hold_the_value_and_only_for_assumed_numbers():
    data = raw()
    data["ranges"]["card.recall_mean"] = [0.7, 0.9]
    with pytest.raises(scenario.ScenarioError, match="must hold the value"):
        scenario.parse(data, "x.toml")
    data = raw()
    del data["ranges"]["card.recall_mean"]
    with pytest.raises(scenario.ScenarioError, match="needs a plausible"):
        scenario.parse(data, "x.toml")
    data = raw()
    data["ranges"]["population.card_holder_share"] = [0.1, 0.2]
    with pytest.raises(scenario.ScenarioError, match="only assumed or fitted"):
        scenario.parse(data, "x.toml")


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
        (("population", "devices", "65_plus", "iphone"), 0.9, "shares must add up to 1"),
        (("municipalities", "online_start"), {"0": 0.5}, "shares must add up to 1"),
        (("municipalities", "online_start"), {"soon": 1.0}, "keys are day numbers"),
        (("calendar", "start"), "May 2020", "calendar.start: must be a date"),
        (("card", "secret"), "fingerprint", "card.secret: must be one of"),
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
        (("population", "patience_tries_min"), 6, "patience_tries_min is above"),
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
