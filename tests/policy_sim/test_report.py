"""The report files: one self-contained page whose summary, tables and charts come from the same
runs, every parameter with its kind and source; a CSV that recounts the first seed."""

from __future__ import annotations

import csv
import re
from html import unescape

import pytest

from policy_sim import comparison
from policy_sim import overrides
from policy_sim import report
from policy_sim import report_tables
from policy_sim import scenario
from tests.policy_sim.support import Tables

SAMPLE, SEEDS = 300, [1, 2, 3]
OVERRIDE = "silta-hybrid:population.bank_customer_share=0.7"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    loaded = [
        overrides.apply(scenario.read(scenario.builtin(n)), n, [overrides.read(OVERRIDE)])
        for n in ("japan-2020-payment-surge", "silta-hybrid")
    ]
    found = comparison.compare(loaded, SAMPLE, SEEDS, (150, 2), workers=1)
    html_path, csv_path = report.write(found, tmp_path_factory.mktemp("report"))
    with csv_path.open() as handle:
        rows = list(csv.DictReader(handle))
    parsed = Tables()
    html = html_path.read_text()
    parsed.feed(html)
    return found, html, rows, parsed


def test_csv_has_one_row_per_citizen_of_the_first_seed(written):
    found, _, rows, _ = written
    assert list(rows[0]) == report.CSV_COLUMNS
    for run in found.first_runs:
        mine = [row for row in rows if row["scenario"] == run.scenario.name]
        assert [int(row["citizen"]) for row in mine] == list(range(SAMPLE))
        done = sum(row["status"] == "completed" for row in mine)
        assert done == sum(out.status == "completed" for out in run.outcomes)


def test_the_summary_and_the_headline_table_come_from_the_same_runs(written):
    found, html, _, parsed = written
    headline = next(
        t for t in parsed.tables if t[0][0] == "Scenario" and "Completed online" in t[0]
    )
    summary = unescape(html.split('class="summary"')[1].split("</section>")[0])
    for study, row in zip(found.studies, headline[1:], strict=True):
        shown = report_tables.interval(study.estimate("online_share"), 100, 1, " %")
        assert row[1] == shown
        assert f"{study.scenario.name} {shown}" in summary
    assert summary.count('class="label output"') == 2 and 'class="label input"' in summary


def test_every_parameter_is_shown_with_its_kind_and_source_once_labelled(written):
    found, html, _, parsed = written
    tables = [t for t in parsed.tables if t[0] == ["Parameter", "Value", "Kind", "Range", "Source"]]
    text = unescape(html)
    for study, table in zip(found.studies, tables, strict=True):
        rows = {r[0]: r for r in table[1:]}
        for name, _value, source in study.scenario.parameters():
            kind = scenario.kind(source)
            assert rows[name][2] == report_tables.KIND_TEXT[kind]
            assert source.removeprefix(scenario.PREFIXES.get(kind, "")).strip() in text
    assert "Assumption. Assumption" not in text
    sources = [row[4] for t in tables for row in t[1:]]
    assert not any(src.startswith(("Assumption", "Fitted")) for src in sources)
    assert len(re.findall(r'<tr class="assumption">', html)) > 20


def test_the_override_is_applied_and_shown(written):
    found, html, _, _ = written
    hybrid = found.studies[1].scenario
    assert hybrid.population.bank_customer_share == 0.7
    assert found.studies[0].scenario.population.bank_customer_share == 0.59
    assert "What-if overrides given with --set" in html and "bank_customer_share" in html


def test_the_back_test_names_its_sources_and_its_kinds(written):
    _, html, _, parsed = written
    table = next(t for t in parsed.tables if t[0][:2] == ["Scenario", "What"])
    checks = {row[5] for row in table[1:]}
    assert {"within", "fitted", "input", "not modelled"} <= checks
    assert all(row[7] for row in table[1:])  # every real figure has its source
    assert "https://medical.jiji.com/news/33068" in html


def test_charts_are_embedded_and_described_in_text(written):
    found, html, _, parsed = written
    assert len(parsed.images) == 5 + len(found.studies)  # five charts, a tornado a scenario
    for image in parsed.images:
        assert image["src"].startswith("data:image/png;base64,") and image["alt"]
        described = re.search(rf'<span id="{image["aria-describedby"]}">([^<]+)</span>', html)
        assert described and len(described.group(1)) > 40


def test_the_page_is_self_contained_and_reads_on_a_phone(written):
    _, html, _, _ = written
    assert '<html lang="en">' in html and "<main>" in html and "<header>" in html
    assert 'name="viewport"' in html and "@media (max-width:40rem)" in html
    assert not re.search(r'<(?:img|script|link)[^>]+(?:src|href)="http', html)
    assert "http" not in html.split("<style>")[1].split("</style>")[0]
    assert all('data-label="' in cell for cell in re.findall(r"<td[^>]*>", html))
