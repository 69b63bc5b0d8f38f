"""ARCHITECTURE §7 import rules, checked on the source's import statements."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("idp", "bank_mock", "card_mock", "relying_parties", "policy_sim", "witness")
# ARCHITECTURE §2: each party is its own application and never imports another; all may use
# the chassis, which uses none of them. (federation/ has rules of its own.)
APPLICATIONS = (*PACKAGES, "federation")
CHASSIS = "silta_common"
METHOD_PACKAGES = (
    "idp.authenticators.bank",
    "idp.authenticators.ic_card",
    "idp.authenticators.dev",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of every module imported by a file, relative imports resolved."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found.add(target)
            found |= {f"{target}.{alias.name}" for alias in node.names}
    return found


def sources(package: str):
    return sorted((ROOT / package).rglob("*.py")) if (ROOT / package).exists() else []


def offending(package: str, forbidden) -> list[str]:
    return [
        f"{module_name(p)} imports {name}"
        for p in sources(package)
        for name in sorted(imports_of(p))
        if forbidden(module_name(p), name)
    ]


def test_oidc_never_names_an_authentication_method():
    assert offending("idp/oidc", lambda _m, name: name.startswith("idp.authenticators")) == []


def test_authenticators_never_import_the_protocol():
    assert offending("idp/authenticators", lambda _m, name: name.startswith("idp.oidc")) == []


def test_methods_are_reached_only_through_the_registry():
    def within(name: str, package: str) -> bool:
        return name == package or name.startswith(package + ".")

    def forbidden(module: str, name: str) -> bool:
        return (
            any(within(name, m) and not within(module, m) for m in METHOD_PACKAGES)
            and module != "idp.authenticators.registry"
        )

    assert offending("idp", forbidden) == []


def application_of(name: str) -> str:
    return name.split(".")[0]


def foreign_imports(package: str) -> set[tuple[str, str]]:
    """(module, application) for every import of another application by ``package``."""
    return {
        (module_name(p), application_of(name))
        for p in sources(package)
        for name in imports_of(p)
        if application_of(name) in APPLICATIONS and application_of(name) != package
    }


def test_the_chassis_imports_no_application():
    assert foreign_imports(CHASSIS) == set()


@pytest.mark.parametrize("party", PACKAGES)
def test_no_party_imports_another(party):
    assert foreign_imports(party) == set()


def test_the_checker_sees_relative_imports():
    names = imports_of(ROOT / "idp" / "oidc" / "grants.py")
    assert "idp.oidc.server.Release" in names
    assert "idp.accounts" in names


PARTIES = ("idp", "bank_mock", "card_mock", "relying_parties", "witness")


def within_any(name: str, packages) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_broker_imports_neither_the_federation_nor_the_simulator():
    # `silta demo` and `silta compare` join the command through entry points (idp/cli/commands.py).
    forbidden = ("federation", "policy_sim")
    assert offending("idp", lambda _m, name: within_any(name, forbidden)) == []


def test_the_federation_imports_no_party():
    # ARCHITECTURE §2: it drives the parties through their commands and HTTP only.
    assert offending("federation", lambda _m, name: within_any(name, PARTIES)) == []


def test_the_rules_see_every_package_they_name():
    for package in (*PACKAGES, "federation"):
        assert sources(package), package  # a moved package must not pass every rule by absence


def test_the_demo_and_compare_commands_are_entry_points_of_the_broker_command():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["silta.commands"] == {
        "demo": "federation.cli:demo",
        "compare": "policy_sim.cli:compare",
    }


def test_coverage_is_measured_for_every_package():
    run = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["coverage"]["run"]
    assert set(run["source"]) == {*PACKAGES, "silta_common", "federation"}
    assert "subprocess" in run["patch"]  # the parties the launcher starts measure themselves
