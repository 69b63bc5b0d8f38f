"""The demo's processes: each in its own process group with its own log, watched and stopped.

Every part runs in a new session (its own process group), so Ctrl-C in the terminal reaches
the supervisor alone, and stopping a part stops everything that part started. On Linux each
part also gets PR_SET_PDEATHSIG, so even a supervisor killed outright leaves no orphans.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from .setup import Component

START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class StartFailed(RuntimeError):
    """A part did not come up; the message names it and quotes the end of its log."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def log_tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log, for a message that says why a part failed."""
    if not path.exists():
        return "(no log was written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class Supervisor:
    """Starts parts, waits until each answers, and stops them all, group by group."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}
        self.parts: dict[str, Component] = {}

    def log_path(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def start(self, part: Component) -> None:
        """Start one part, its output appended to its log."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.log_path(part.name), "ab") as log:
            log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {part.command}\n".encode())
            log.flush()
            self.running[part.name] = subprocess.Popen(  # noqa: S603 - our console scripts
                part.command,
                env=part.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        self.parts[part.name] = part

    def wait_healthy(self, names: list[str], timeout: float = START_TIMEOUT) -> None:
        """Return once each part answers 200 at its health URL; StartFailed naming the first not."""
        deadline = time.monotonic() + timeout
        waiting = list(names)
        while waiting:
            for name in list(waiting):
                process, part = self.running[name], self.parts[name]
                if process.poll() is not None:
                    raise self._failed(name, f"stopped with status {process.returncode}")
                try:
                    if requests.get(part.health_url, timeout=2).status_code == 200:
                        waiting.remove(name)
                except requests.RequestException:
                    pass
            if waiting and time.monotonic() > deadline:
                raise self._failed(waiting[0], f"did not answer {timeout:.0f} s after start")
            if waiting:
                time.sleep(0.25)

    def _failed(self, name: str, what: str) -> StartFailed:
        part, log = self.parts[name], self.log_path(name)
        return StartFailed(
            f"The demo's {part.title} ({name}) {what} at {part.health_url}.\n"
            f"Last lines of its log, {log}:\n{log_tail(log)}"
        )

    def exited(self) -> list[tuple[str, int]]:
        """Parts that stopped by themselves since the last call, with their status."""
        gone = [(n, p.returncode) for n, p in self.running.items() if p.poll() is not None]
        for name, _status in gone:
            del self.running[name]
        return gone

    def stop_all(self) -> None:
        """SIGTERM every part's process group, then SIGKILL what is left after a grace period."""
        for process in self.running.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in self.running.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            _signal_group(process, signal.SIGKILL)  # anything the part itself left behind
        self.running.clear()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)  # start_new_session: the group id is the part's pid


def on_stop_signals(handler: Callable[[], None]) -> None:
    """Call `handler` on SIGINT (Ctrl-C) and SIGTERM instead of dying mid-way."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: handler())
