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


# --- The broker's packages form no cycle (issue 14, item 5) -------------------------------------
#
# A unit is one first-level package or module of idp (oidc, interaction, consent, sessions,
# authenticators, storage, audit, account, web, ops, cli, clients, accounts, …), and `idp` itself
# for the app factory in idp/__init__.py: the graph of which unit imports which, lazy imports
# inside functions included, has no cycle. So the protocol and the screens meet at a route
# (`/authorize/resume/<uid>`), not a call; sessions announce their end by a signal the protocol
# subscribes to; operations run the protocol's jobs without importing it; and nothing imports the
# app factory but the commands.

BROKER = "idp"


def broker_modules() -> set[str]:
    return {module_name(p) for p in sources(BROKER) if "migrations" not in p.parts}


def dependencies(path: Path, modules: set[str]) -> set[str]:
    """The broker modules a file imports: ``from package import module`` names the module,
    ``from module import name`` (or ``import a.b``) the module that holds the name."""

    def holder(name: str) -> str:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name

    module = module_name(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {holder(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found |= {holder(f"{target}.{alias.name}") for alias in node.names}
    return found - {""}


def unit_of(module: str) -> str:
    return ".".join(module.split(".")[:2])


def unit_imports() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(unit, unit) → the (module, module) imports that make that edge."""
    modules = broker_modules()
    edges: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for path in sources(BROKER):
        module = module_name(path)
        if module not in modules:
            continue
        for target in dependencies(path, modules):
            pair = (unit_of(module), unit_of(target))
            if pair[0] != pair[1]:
                edges.setdefault(pair, set()).add((module, target))
    return edges


def reaches(edges, start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        unit = todo.pop()
        if unit == goal:
            return True
        if unit not in seen:
            seen.add(unit)
            todo.extend(b for a, b in edges if a == unit)
    return False


def test_no_import_cycle_between_the_broker_packages():
    edges = unit_imports()
    on_a_cycle = sorted(
        f"{module} imports {target}"
        for (a, b), imports in edges.items()
        if reaches(edges, b, a)
        for module, target in imports
    )
    assert on_a_cycle == []


def test_the_cycle_check_sees_a_cycle():
    edges = {("idp.a", "idp.b"): {("idp.a", "idp.b.x")}, ("idp.b", "idp.a"): set()}
    assert reaches(edges, "idp.b", "idp.a") and reaches(edges, "idp.a", "idp.b")
    assert not reaches({("idp.a", "idp.b"): set()}, "idp.b", "idp.a")


def test_a_module_imported_from_its_package_is_the_dependency():
    modules = broker_modules()
    assert dependencies(ROOT / "idp" / "oidc" / "grants.py", modules) >= {
        "idp.accounts",  # from .. import accounts
        "idp.oidc.server",  # from .server import Release
    }
    assert "idp" not in dependencies(ROOT / "idp" / "oidc" / "grants.py", modules)


# --- Only idp/storage/ runs statements (issue 14, item 4) ---------------------------------------
#
# Every SQL statement the broker runs is written in idp/storage/, by fact, and every transaction
# ends through storage/transaction.py (`transaction.commit()` / `rollback()`): no
# `select/insert/update/delete/text` (from `sqlalchemy` or `db`), no `FastStatement`, no
# `.execute(` (nor `exec_driver_sql`, `scalar(s)`, savepoints) on any session or connection, and
# no `.commit()` / `.rollback()` but the transaction module's, anywhere else. Outside storage,
# modules may use the ORM session's unit of work on the rows a request changes: get a row by its
# primary key, add, delete, flush, refresh, expire (UNIT_OF_WORK). SQLAlchemy is imported only
# for its exceptions. Migrations are Alembic's and stay as they are.

STORAGE = "idp.storage"
UNIT_OF_WORK = {"get", "add", "add_all", "delete", "flush", "refresh", "expire", "expire_all"}
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "bindparam", "func", "exists"}
RUN_STATEMENT = {"execute", "exec_driver_sql", "scalar", "scalars", "begin_nested"}
ALLOWED_SQLALCHEMY = {"sqlalchemy.exc"}


def _chain(node: ast.AST) -> list[str]:
    """The dotted names a call goes through: `db.session.execute` → db, session, execute; a call
    in the chain is read through (`connection().execute` → connection, execute)."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            if isinstance(node, ast.Name):
                names.append(node.id)
            return list(reversed(names))


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> set[str]:
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    package = module.split(".") if is_package else module.split(".")[:-1]
    base = package[: len(package) - node.level + 1] if node.level else []
    target = ".".join([*base, *([node.module] if node.module else [])])
    return {target, *(f"{target}.{alias.name}" for alias in node.names)}


def statements_in(source: str, module: str, is_package: bool = False) -> list[str]:
    """What a module's source runs or builds of SQL, or ends of a transaction, against the rule."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for name in sorted(_imported(node, module, is_package)):
                allowed = any(name == a or name.startswith(a + ".") for a in ALLOWED_SQLALCHEMY)
                sql = name.split(".")[0] == "sqlalchemy" and not allowed
                if sql or name.startswith("idp.storage.fast"):
                    found.append(f"imports {name}")
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        chain = _chain(node.func)
        called, receiver = chain[-1], chain[:-1]
        if (
            called in RUN_STATEMENT
            or (called in ("commit", "rollback") and receiver != ["transaction"])
            or (receiver in (["db"], ["sa"], ["sqlalchemy"]) and called in SQL_BUILDERS)
            or (receiver[-2:] == ["db", "session"] and called not in UNIT_OF_WORK)
        ):
            found.append(f"calls {'.'.join(chain)}")
    return found


def statements_outside_storage(path: Path) -> list[str]:
    return statements_in(path.read_text(), module_name(path), path.name == "__init__.py")


def test_only_storage_runs_statements_and_ends_transactions():
    offences = [
        f"{module_name(p)} {what}"
        for p in sources(BROKER)
        if not module_name(p).startswith((STORAGE, "idp.migrations"))
        for what in statements_outside_storage(p)
    ]
    assert offences == []


@pytest.mark.parametrize(
    ("source", "offence"),
    [
        ("db.session.execute(x)", "calls db.session.execute"),
        ("db.session.query(Token).all()", "calls db.session.query"),
        ("db.session.commit()", "calls db.session.commit"),
        ("connection().execute(statement)", "calls connection.execute"),
        (
            "db.engine.connect().exec_driver_sql('SELECT 1')",
            "calls db.engine.connect.exec_driver_sql",
        ),
        ("db.select(Token)", "calls db.select"),
        ("sa.update(Token).values(x=1)", "calls sa.update"),
        ("import sqlalchemy as sa", "imports sqlalchemy"),
        ("from sqlalchemy import select", "imports sqlalchemy.select"),
        ("from ..storage.fast import FastStatement", "imports idp.storage.fast"),
    ],
)
def test_the_statement_check_sees_each_kind(source, offence):
    assert offence in statements_in(source, "idp.oidc.probe")


def test_the_unit_of_work_and_the_transaction_module_pass():
    source = (
        "from sqlalchemy.exc import IntegrityError\n"
        "db.session.get(Token, 1)\ndb.session.add(row)\ndb.session.flush()\n"
        "transaction.commit()\ntransaction.rollback()\napp.config.update(x=1)\n"
    )
    assert statements_in(source, "idp.oidc.probe") == []
