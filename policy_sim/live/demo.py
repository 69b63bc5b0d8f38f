"""A running `silta demo`, found by its folder and made ready through its parties' own commands.

While a federation runs, its folder (`silta demo --dir`, default instance/demo/) holds
federation.json, the launcher's description of it (federation/launcher.py): each party's URL,
pid and instance folder, and the card authority's secrets file. The simulation reads only that
file, never the folder's layout, and never imports a party (ARCHITECTURE §2): it seeds the banks
with `silta-bank seed`, the issuer's holder register with `silta-card holders seed --synthetic`,
and reads the authority's demo secrets for its operator and its desk official.
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
DESCRIPTION = "federation.json"  # federation/launcher.py: written while it runs, removed after
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
    parties: dict[str, dict]  # federation.json's: url, pid, folder, log by party
    card_authority: dict  # federation.json's: the authority's secrets file and operator id

    @classmethod
    def find(cls, root: Path, broker_url: str) -> DemoFolder | None:
        """The demo in `root` if it runs and answers at `broker_url`; None if `root` holds none."""
        root = root.resolve()
        try:
            described = json.loads((root / DESCRIPTION).read_text())
        except (OSError, ValueError):
            if not (root / MARKER).exists():
                return None
            raise DemoError(f"the demo in {root} is not running: start it (`make demo`)") from None
        parties = described.get("parties", {})
        listening = measure.pid_listening(broker_url)
        if listening is not None and parties.get("broker", {}).get("pid") != listening:
            raise DemoError(
                f"the broker at {broker_url} is not the demo in {root}: give --demo-root and "
                "--port-offset of the demo you mean"
            )
        return cls(root, parties, described.get("card_authority", {}))

    def folder(self, party: str) -> Path:
        """A party's instance folder, as the description names it."""
        try:
            return Path(self.parties[party]["folder"])
        except KeyError:
            raise DemoError(f"the demo in {self.root} runs no {party}") from None

    @property
    def work(self) -> Path:
        """The simulation's own folder inside the demo folder (0700)."""
        folder = self.root / WORK_FOLDER
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder

    def issuer_secret(self, name: str) -> str:
        """One of the card authority's demo secrets."""
        path = Path(self.card_authority.get("secrets_file", self.root / DESCRIPTION))
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
                env=part_env(BANK_INSTANCE_PATH=str(self.folder(bank))),
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
                env=part_env(CARD_INSTANCE_PATH=str(self.folder("issuer"))),
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
