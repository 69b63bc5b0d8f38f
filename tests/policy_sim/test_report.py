"""The report files: the HTML shows the projection's figures and every parameter with its
source; the CSV has one row per citizen that recounts to the same figures."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from policy_sim import journey
from policy_sim import population
from policy_sim import projection
from policy_sim import report
from policy_sim import scenario
from policy_sim.clock import CounterQueue
from policy_sim.outcome import Measurement
from policy_sim.runner import ScenarioRun
from tests.policy_sim.support import ScriptedWorld
from tests.policy_sim.support import Tables


class MeasuredWorld(ScriptedWorld):
    """The scripted world, recording a made-up but fixed server cost per login."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.measurements = name, []

    def attempt(self, person, method, day):
        result = super().attempt(person, method, day)
        ok = result.result == journey.COMPLETED
        cost = {"bank": 0.05, "card": 0.08}[method]
        self.measurements.append(
            Measurement(
                self.name, person.citizen.index, day, method, "login", ok, 0.5, {"b": cost}, 9
            )
        )
        return result


def scripted_run(name: str, sample: int = 150) -> ScenarioRun:
    s = scenario.load(scenario.builtin(name))
    world = MeasuredWorld(name)
    counters = CounterQueue(0.5, s.demand.window_days * 3)
    outcomes = journey.Journeys(s, world, counters, 9).run(population.generate(s, sample, 9))
    return ScenarioRun(s, sample, 9, outcomes, world.measurements, counters)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    runs = [scripted_run("japan-2019"), scripted_run("silta-hybrid")]
    projections = [projection.project(r) for r in runs]
    html_path, csv_path = report.write(runs, projections, tmp_path_factory.mktemp("report"))
    with csv_path.open() as handle:
        rows = list(csv.DictReader(handle))
    return runs, projections, html_path.read_text(), rows


def test_csv_has_one_row_per_citizen_with_every_column(written):
    runs, _, _, rows = written
    assert len(rows) == sum(r.sample for r in runs)
    assert list(rows[0]) == report.CSV_COLUMNS
    for run in runs:
        mine = [row for row in rows if row["scenario"] == run.scenario.name]
        assert [int(row["citizen"]) for row in mine] == list(range(run.sample))


def test_headline_table_matches_the_projection_and_the_csv(written):
    _, projections, html, rows = written
    parsed = Tables()
    parsed.feed(html)
    head, *body = parsed.tables[0]
    assert head[0] == "Scenario" and len(body) == len(projections)
    for p, row in zip(projections, body, strict=True):
        completed = sum(r["status"] == "completed" for r in rows if r["scenario"] == p.scenario)
        assert row[0] == p.scenario
        assert row[1] == f"{completed / p.sample * 100:,.1f} %"
        assert row[2] == f"{p.completed_residents / 1e6:,.2f} M"
        assert row[8] == f"{p.cpu_per_login * 1000:,.1f} ms"
        assert row[9] == str(p.servers_needed)
    hybrid = dataclasses.asdict(projections[1])
    assert hybrid["cost_per_completion"] is not None
    assert f"{hybrid['cost_per_completion']:,.0f} JPY" in html


def test_every_parameter_and_its_source_is_shown(written):
    runs, _, html, _ = written
    parsed = Tables()
    parsed.feed(html)
    shown = {row[0]: row for table in parsed.tables for row in table if row and "." in row[0]}
    for run in runs:
        for name, _value, source in run.scenario.parameters():
            assert name in shown
            assert source in html.replace("&#x27;", "'").replace("&quot;", '"').replace(
                "&amp;", "&"
            )
    assert "<strong>Assumption.</strong>" in html
    for caveat in report.CAVEATS:
        assert caveat.split(".")[0].replace("'", "&#x27;") in html


def test_the_page_is_self_contained_and_labelled(written):
    _, _, html, _ = written
    assert '<html lang="en">' in html and "<main>" in html and "<header>" in html
    assert "http" not in html.split("<style>")[1].split("</style>")[0]
    parsed = Tables()
    parsed.feed(html)
    assert len(parsed.images) == 4
    assert all(i["src"].startswith("data:image/png;base64,") and i["alt"] for i in parsed.images)
