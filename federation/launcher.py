"""The one way to bring parties of the federation up: `silta demo`, tests, benchmarks, compare.

Each party is its own process, started through its own command (`silta`, `silta serve`,
`silta-bank run`, `silta-card issuer|reader run`, `silta-rp run`) and configured through its
environment and files exactly as an operator would (plan.py, setup.py). Every party starts at
once; the launcher returns when each answers its health URL and every broker node sees each of
its login methods up (readiness is an answer, never a fixed wait). Logs are per party under
``<root>/logs/``; stopping stops every process group. While the federation runs,
``<root>/federation.json`` describes it (URLs, pids, instance folders, the authority's secrets
file) for programs that drive a running federation (`silta compare`) without knowing its layout.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from . import ports
from .layout import Layout
from .plan import Plan
from .plan import Selection
from .plan import plan
from .processes import START_TIMEOUT
from .processes import StartFailed
from .processes import Supervisor
from .setup import OPERATOR
from .setup import Party

DESCRIPTION = "federation.json"


@dataclass
class Federation:
    """A running federation: its layout, parties and processes."""

    layout: Layout
    plan: Plan
    supervisor: Supervisor

    @property
    def parties(self) -> dict[str, Party]:
        return {party.name: party for party in self.plan.parties}

    def url(self, name: str) -> str:
        """The origin others reach a party at."""
        return self.parties[name].url

    def pids(self) -> dict[str, int]:
        return {name: process.pid for name, process in self.supervisor.running.items()}

    def describe(self) -> dict[str, Any]:
        """What federation.json says: every party's URL, pid, folder and log; the secrets file."""
        pids = self.pids()
        parties = {
            p.name: {
                "title": p.title,
                "url": p.url,
                "pid": pids.get(p.name),
                "folder": p.folder,
                "log": str(self.supervisor.log_path(p.name)),
            }
            for p in self.plan.parties
        }
        described: dict[str, Any] = {"root": str(self.layout.root), "parties": parties}
        if self.plan.secrets:
            described["card_authority"] = {
                "secrets_file": str(self.layout.issuer_dir / "demo-secrets.json"),
                "operator": OPERATOR,
            }
        return described

    def write_description(self) -> Path:
        path = self.layout.root / DESCRIPTION
        path.write_text(json.dumps(self.describe(), indent=2))
        return path

    def stop_party(self, name: str, signum: int | None = None) -> int | None:
        """Stop one party (SIGTERM by default); its exit status."""
        return self.supervisor.stop(name, *(() if signum is None else (signum,)))

    def start_party(self, name: str, timeout: float = START_TIMEOUT) -> None:
        """Start a stopped party again, as it was planned; return once it answers."""
        self.add(self.parties[name], timeout)

    def add(self, party: Party, timeout: float = START_TIMEOUT) -> None:
        """Start a party (a caller's own, or one planned, maybe with another command); return
        once it answers. A new name joins the federation's parties."""
        self.plan.parties = [p for p in self.plan.parties if p.name != party.name] + [party]
        self.supervisor.start(party)
        try:
            self.supervisor.wait_healthy([party.name], timeout)
        finally:
            self.write_description()

    def stop(self) -> None:
        """Stop every party and remove the description."""
        self.supervisor.stop_all()
        (self.layout.root / DESCRIPTION).unlink(missing_ok=True)
        ports.release(self.layout.ports.values())


def launch(
    layout: Layout,
    selection: Selection,
    timeout: float = START_TIMEOUT,
    supervisor: Supervisor | None = None,
) -> Federation:
    """Set up and start the chosen parties; return once every one answers (stop all if not)."""
    layout.root.mkdir(parents=True, exist_ok=True)
    supervisor = supervisor or Supervisor(layout.logs)
    federation = Federation(layout, plan(layout, selection), supervisor)
    try:
        for party in federation.plan.parties:
            supervisor.start(party)
        supervisor.wait_healthy([p.name for p in federation.plan.parties], timeout)
        wait_methods_up(federation, selection, timeout)
        federation.write_description()
    except BaseException:
        federation.stop()
        raise
    return federation


@contextmanager
def running(
    layout: Layout, selection: Selection, timeout: float = START_TIMEOUT
) -> Iterator[Federation]:
    """The chosen parties, up for the block and stopped after it."""
    federation = launch(layout, selection, timeout)
    try:
        yield federation
    finally:
        federation.stop()


def wait_methods_up(federation: Federation, selection: Selection, timeout: float) -> None:
    """Wait until each broker node's health watch sees every login method up."""
    deadline = time.monotonic() + timeout
    for name in selection.nodes:
        party = federation.parties[name]
        while (down := methods_down(party.health_url)) != []:
            if time.monotonic() > deadline:
                what = f"still sees {', '.join(down or ['its readiness'])} down"
                raise federation.supervisor.failed(name, what)
            time.sleep(0.1)  # polling the broker's own health watch, with a deadline


def methods_down(readyz: str) -> list[str] | None:
    """The login methods a broker's /readyz reports down; None while it does not answer."""
    try:
        answer = requests.get(readyz, timeout=2)
        methods: dict[str, str] = answer.json().get("methods", {})
    except (requests.RequestException, ValueError):
        return None
    return sorted(name for name, state in methods.items() if state != "up")


def description(root: Path) -> dict[str, Any]:
    """A running federation's federation.json; StartFailed when none runs in `root`."""
    try:
        described: dict[str, Any] = json.loads((root / DESCRIPTION).read_text())
    except (OSError, ValueError):
        raise StartFailed(f"No federation runs in {root} (no {DESCRIPTION}).") from None
    return described


__all__ = ["Federation", "Layout", "Selection", "StartFailed", "description", "launch", "running"]
