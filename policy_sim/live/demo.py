"""A running `silta demo`, found by its folder and made ready through its parts' own commands.

The demo folder (`silta demo --dir`, default instance/demo/) holds each part's instance folder
and, while the demo runs, processes.json with each part's pid (federation/demo.py). The simulation
never imports a part (ARCHITECTURE §2): it seeds the banks with `silta-bank seed`, the issuer's
holder register with `silta-card holders seed --synthetic`, and reads the card authority's demo
secrets (card-issuer/demo-secrets.json) for its operator and its desk official.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ..scenario import BANKS
from . import measure

MARKER = ".silta-demo"  # federation/layout.py: a folder `silta demo` made
PROCESSES = "processes.json"  # federation/demo.py: written while the demo runs, removed at its end
ISSUER_FOLDER, READER_FOLDER = "card-issuer", "card-reader"
# The card authority's demo parties and their secrets (card_mock/issuer/demo.py).
OPERATOR_ID, DESK_OFFICIAL = "silta-operator", "demo-official"
OPERATOR_SECRET, DESK_SECRET = "OPERATOR_API_KEY", "DESK_PASSWORD"
WORK_FOLDER = "policy-sim"  # what the simulation keeps in the demo folder (the cards file)
FOREIGN_PREFIXES = ("SILTA_", "BANK_", "CARD_", "READER_", "RP_", "SOFTHSM2_CONF")
COMMAND_SECONDS = 300


class DemoError(RuntimeError):
    """The demo folder is missing, not running, another demo's, or a part's command failed."""


def script(name: str) -> str:
    """A console script of this installation (beside the interpreter), else from PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def part_env(**settings: str) -> dict[str, str]:
    """This process's environment without any part's settings, plus the given ones."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_PREFIXES)}
    return {**base, **settings}


@dataclass(frozen=True)
class DemoFolder:
    """One demo's folder, checked to be the demo that answers at the addresses in use."""

    root: Path

    @classmethod
    def find(cls, root: Path, broker_url: str) -> DemoFolder | None:
        """The demo in `root` if it runs and answers at `broker_url`; None if `root` holds none."""
        root = root.resolve()
        if not (root / MARKER).exists():
            return None
        try:
            pids = json.loads((root / PROCESSES).read_text())
        except (OSError, ValueError):
            raise DemoError(f"the demo in {root} is not running: start it (`make demo`)") from None
        listening = measure.pid_listening(broker_url)
        if listening is not None and pids.get("broker") != listening:
            raise DemoError(
                f"the broker at {broker_url} is not the demo in {root}: give --demo-root and "
                "--port-offset of the demo you mean"
            )
        return cls(root)

    @property
    def work(self) -> Path:
        """The simulation's own folder inside the demo folder (0700)."""
        folder = self.root / WORK_FOLDER
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def issuer_secret(self, name: str) -> str:
        """One of the card authority's demo secrets."""
        path = self.root / ISSUER_FOLDER / "demo-secrets.json"
        try:
            return str(json.loads(path.read_text())[name])
        except (OSError, ValueError, KeyError):
            raise DemoError(
                f"{path} does not hold {name}: is the demo's card issuer set up?"
            ) from None

    def seed_banks(self, count: int) -> list[str]:
        """`silta-bank seed --count N` at every bank, side by side; each bank's one-line answer."""
        running = [
            subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
                [script("silta-bank"), "seed", "--bank", bank, "--count", str(count)],
                env=part_env(BANK_INSTANCE_PATH=str(self.root / f"bank-{bank}")),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for bank in BANKS
        ]
        answers = []
        for bank, process in zip(BANKS, running, strict=True):
            try:
                output = process.communicate(timeout=COMMAND_SECONDS)[0].strip()
            except subprocess.TimeoutExpired:
                process.kill()  # our own child, by its handle
                process.communicate()
                raise DemoError(f"`silta-bank seed --bank {bank}` did not finish") from None
            if process.returncode != 0:
                raise DemoError(f"`silta-bank seed --bank {bank}` failed: {output[-500:]}")
            answers.append(output.splitlines()[-1] if output else f"{bank}: seeded")
        return answers

    def seed_holders(self, count: int) -> tuple[int, list[dict]]:
        """`silta-card holders seed --synthetic N --json`: how many were added, and the synthetic
        holders (eid, national_id, name)."""
        argv = [script("silta-card"), "holders", "seed", "--synthetic", str(count), "--json"]
        try:
            done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
                argv,
                env=part_env(CARD_INSTANCE_PATH=str(self.root / ISSUER_FOLDER)),
                capture_output=True,
                text=True,
                timeout=COMMAND_SECONDS,
                check=True,
            )
            answer = json.loads(done.stdout)
        except subprocess.CalledProcessError as error:
            raise DemoError(f"`silta-card holders seed` failed: {error.stderr[-500:]}") from None
        except (OSError, subprocess.SubprocessError, ValueError) as error:
            raise DemoError(f"`silta-card holders seed` failed: {error}") from None
        return answer["added"], [row for row in answer["holders"] if row["synthetic"]]
