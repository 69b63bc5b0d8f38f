"""Run a whole `silta demo` for a test: its own folder, a free port offset, stopped by signal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from federation import ports
from federation.demo import READY
from federation.demo import STOPPED
from federation.launcher import description
from federation.layout import BANKS
from federation.layout import Layout

BIN = Path(sys.executable).parent
START_DEADLINE = 240.0


def free_offset(root: Path) -> int:
    """A port offset at which every port of a demo is claimed for this run (federation/ports.py):
    free now, and kept from other runs and from outgoing connections across restarts."""
    return ports.free_offset(Layout(root).all_ports())


@dataclass
class DemoRun:
    """One `silta demo` process and what it printed."""

    root: Path
    offset: int
    process: subprocess.Popen | None = None
    output: list[str] = field(default_factory=list)

    @property
    def layout(self) -> Layout:
        return Layout(self.root, offset=self.offset)

    def bank_customers(self, bank_id: str) -> list[dict]:
        """A demo bank's customers as `silta-bank customers` lists them."""
        index = next(i for i, (known, _name) in enumerate(BANKS) if known == bank_id)
        env = {
            **os.environ,
            "BANK_INSTANCE_PATH": str(self.root / f"bank-{bank_id}"),
            "BANK_ISSUER": self.layout.bank_url(index),
        }
        listing = subprocess.run(
            [str(BIN / "silta-bank"), "customers", "--bank", bank_id, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return json.loads(listing.stdout)

    @property
    def banner(self) -> str:
        return "".join(self.output)

    def start(self, *extra: str) -> DemoRun:
        """Start it; return once it says the federation is up, or fail with its output."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SILTA_", "BANK_", "CARD_", "READER_", "RP_"))
        }
        argv = [str(BIN / "silta"), "demo", "--dir", str(self.root)]
        argv += ["--port-offset", str(self.offset), *extra]
        self.output = []
        self.process = subprocess.Popen(
            argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        deadline = time.monotonic() + START_DEADLINE
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            self.output.append(line)
            if "Ctrl-C stops every process" in line or (
                not line and self.process.poll() is not None
            ):
                break
        if READY not in self.banner:
            self.output.append(self.abandon())
        assert READY in self.banner, self.banner[-4000:]
        return self

    def abandon(self) -> str:
        """A demo that did not come up: stopped (killed if it will not stop) and its pipe
        closed, so no process or open file outlives the failed test; the rest of its output."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.communicate(timeout=60)[0]
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.communicate()[0]

    def processes(self) -> dict[str, int]:
        """The pid of each party, as the launcher's description of the running demo says."""
        parties = description(self.root)["parties"]
        return {name: party["pid"] for name, party in parties.items()}

    def stop(self, signum: int = signal.SIGINT) -> str:
        """Stop the demo as a terminal or a service manager would; the rest of its output."""
        self.process.send_signal(signum)
        rest = self.process.communicate(timeout=60)[0]
        assert STOPPED in rest, rest[-3000:]
        return rest


def alive(pid: int) -> bool:
    """Whether a process (or its process group) still exists."""
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True
