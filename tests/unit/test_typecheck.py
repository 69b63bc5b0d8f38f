"""The typecheck gate counts mypy's errors per package and holds each to its baseline."""

from __future__ import annotations

from tests.support import typecheck

OUTPUT = """\
idp/oidc/grants.py:12: error: Item "None" of "str | None" has no attribute "split"  [union-attr]
idp/sessions.py:40:5: error: Incompatible return value type  [return-value]
idp/sessions.py:41: note: See https://mypy.readthedocs.io
bank_mock/views/screens.py:3: error: Name "x" is not defined  [name-defined]
Found 3 errors in 3 files (checked 200 source files)
"""


def test_errors_are_counted_by_the_package_of_their_file():
    assert typecheck.count_errors(OUTPUT) == {"idp": 2, "bank_mock": 1}


def test_every_package_has_a_baseline():
    assert set(typecheck.baseline()) >= {
        "silta_common",
        "federation",
        "idp",
        "bank_mock",
        "card_mock",
        "relying_parties",
        "policy_sim",
    }
