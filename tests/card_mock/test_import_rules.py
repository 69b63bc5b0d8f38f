"""The card world talks HTTP only: it imports neither the broker nor the banks (ARCHITECTURE §2)."""

from __future__ import annotations

import ast
from pathlib import Path

CARD_MOCK = Path(__file__).resolve().parents[2] / "card_mock"
FORBIDDEN = ("idp", "bank_mock", "relying_parties", "policy_sim")


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_card_mock_imports_no_other_component():
    offending = [
        f"{path.relative_to(CARD_MOCK.parent)} imports {name}"
        for path in sorted(CARD_MOCK.rglob("*.py"))
        for name in imported_names(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offending == []
