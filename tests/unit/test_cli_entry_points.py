"""`silta demo` and `silta compare` join the broker's command through entry points (idp/cli)."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint

import click
import pytest
from click.testing import CliRunner

from idp.cli import commands
from idp.cli import main

LOADED = (
    "from click.testing import CliRunner; from idp.cli import main; import sys; "
    "CliRunner().invoke(main, [{args}]); "
    "print(sorted(m for m in sys.modules if m.split('.')[0] in ('federation', 'policy_sim')))"
)


def test_help_lists_the_commands_of_the_entry_points_beside_the_brokers_own():
    listed = CliRunner().invoke(main, ["--help"]).output
    for name in ("demo", "compare", "serve", "keys", "card"):
        assert f"  {name} " in listed, name


def test_the_demo_command_is_the_federations():
    shown = CliRunner().invoke(main, ["demo", "--help"])
    assert shown.exit_code == 0 and "--port-offset" in shown.output


def loaded_by(*args: str) -> str:
    code = LOADED.format(args=", ".join(repr(a) for a in args))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    ).stdout.strip()


def test_a_broker_command_loads_neither_the_federation_nor_the_simulator():
    assert loaded_by("db", "--help") == "[]"
    assert loaded_by("demo", "--help") != "[]"  # the check sees them when they are loaded


def test_an_entry_point_that_is_not_a_command_is_refused(monkeypatch):
    bad = EntryPoint(name="bad", value="os:sep", group=commands.GROUP)
    monkeypatch.setattr(commands, "plugged_in", lambda: {"bad": bad})
    group = commands.EntryPointGroup()
    with pytest.raises(click.ClickException, match="os:sep is not a click command"):
        group.get_command(click.Context(group), "bad")
    assert group.get_command(click.Context(group), "missing") is None
