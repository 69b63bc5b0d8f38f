"""docs/conformance.md and tests/conformance/ stay in step: every module file in a row, every
row's test present, every file opening with its row's module name."""

from __future__ import annotations

import ast
import re
from pathlib import Path

HERE = Path(__file__).parent
MATRIX = HERE.parents[1] / "docs" / "conformance.md"
ROW = re.compile(
    r"^\| `(?P<module>(?:oidcc|fapi2)-[^`]+)`(?: \(MS\))? "  # | `module` (MS) | what | coverage |
    r"\| (?P<what>[^|]+) \| (?P<coverage>.+) \|$"
)
REF = re.compile(r"`tests/conformance/(?P<file>test_\w+\.py)::(?P<test>test_\w+)`")
OTHER_REF = re.compile(r"`(tests/[\w/]+\.py)`")


def rows() -> dict[str, str]:
    """Module name -> its coverage cell, from every table row of the matrix."""
    found: dict[str, str] = {}
    for line in MATRIX.read_text().splitlines():
        match = ROW.match(line)
        if match:
            assert match["module"] not in found, f"{match['module']} has two rows"
            found[match["module"]] = match["coverage"]
    return found


def module_files() -> list[Path]:
    return sorted(p for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)


def module_of(path: Path) -> tuple[str, set[str]]:
    """A test file's module name (its docstring's first word) and its test functions."""
    tree = ast.parse(path.read_text())
    doc = ast.get_docstring(tree) or ""
    name = re.split(r"[:\s]", doc, maxsplit=1)[0].rstrip(".")
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return name, {f for f in functions if f.startswith("test_")}


def test_the_matrix_has_every_plan_module_once():
    found = rows()
    assert len(found) > 150  # Basic, Config, Dynamic, logout and FAPI 2.0 plans
    assert {"oidcc-server", "oidcc-codereuse", "oidcc-rp-initiated-logout"} <= set(found)


def test_every_row_is_covered_or_says_why_not():
    for module, coverage in rows().items():
        refs = REF.findall(coverage)
        if coverage.startswith("not applicable: "):
            assert not refs, f"{module}: not applicable, yet names a test"
        else:
            assert refs, f"{module}: neither a test nor a reason"
            assert coverage.startswith("deviation: ") or coverage.startswith("`tests/"), module


def test_every_named_test_exists_in_the_file_of_its_module():
    for module, coverage in rows().items():
        for file_name, test in REF.findall(coverage):
            path = HERE / file_name
            assert path.is_file(), f"{module}: no {file_name}"
            name, functions = module_of(path)
            assert name == module, f"{file_name} is {name}, named in the row of {module}"
            assert test in functions, f"{module}: no {test} in {file_name}"


def test_every_module_file_is_in_the_matrix_with_all_its_tests():
    named: dict[str, set[str]] = {}
    for coverage in rows().values():
        for file_name, test in REF.findall(coverage):
            named.setdefault(file_name, set()).add(test)
    for path in module_files():
        assert path.name in named, f"{path.name} is in no row of docs/conformance.md"
        assert module_of(path)[1] == named[path.name], f"{path.name}: tests and row differ"


def test_every_file_and_test_the_page_names_exists():
    text = MATRIX.read_text()
    for file_name, test in REF.findall(text):  # the known-failures table too
        assert test in module_of(HERE / file_name)[1], f"{file_name}::{test}"
    for path in OTHER_REF.findall(text):
        assert (HERE.parents[1] / path).is_file(), path


def test_every_table_line_is_a_module_row_or_a_known_failure():
    modules, failures = MATRIX.read_text().split("\n## Known failures\n")
    for line in modules.splitlines():
        assert not line.startswith("| `") or ROW.match(line), line[:100]
    for line in failures.splitlines():
        if line.startswith("| `"):
            assert REF.match(line[2:]) and line.count(" | ") == 1, line[:100]
