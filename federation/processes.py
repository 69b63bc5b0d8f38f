"""The parties' processes: each in its own process group with its own log, watched and stopped.

Every party runs in a new session (its own process group), so Ctrl-C in the terminal reaches
the supervisor alone, and stopping a party stops everything that party started. On Linux each
party also gets PR_SET_PDEATHSIG, so even a supervisor killed outright leaves no orphans.
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

from .setup import Party

START_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
POLL_SECONDS = 0.1
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class StartFailed(RuntimeError):
    """A party did not come up; the message names it and quotes the end of its log."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def log_tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log, for a message that says why a party failed."""
    if not path.exists():
        return "(no log was written)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def answers(url: str) -> bool:
    """Whether a URL answers 200 now."""
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


class Supervisor:
    """Starts parties, waits until each answers, and stops them, group by group."""

    def __init__(self, logs: Path, label: str = "The federation's") -> None:
        self.logs, self.label = logs, label
        self.running: dict[str, subprocess.Popen[bytes]] = {}
        self.parties: dict[str, Party] = {}

    def log_path(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def start(self, party: Party) -> None:
        """Start one party, its output appended to its log."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.log_path(party.name), "ab") as log:
            log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} {party.command}\n".encode())
            log.flush()
            self.running[party.name] = subprocess.Popen(  # noqa: S603 - our console scripts
                party.command,
                env=party.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        self.parties[party.name] = party

    def wait_healthy(self, names: list[str], timeout: float = START_TIMEOUT) -> None:
        """Return once each party answers 200 at its health URL; StartFailed names the first not."""
        deadline = time.monotonic() + timeout
        waiting = list(names)
        while waiting:
            for name in list(waiting):
                process, party = self.running[name], self.parties[name]
                if process.poll() is not None:
                    raise self.failed(name, f"stopped with status {process.returncode}")
                if answers(party.health_url):
                    waiting.remove(name)
            if waiting and time.monotonic() > deadline:
                raise self.failed(waiting[0], f"did not answer {timeout:.0f} s after start")
            if waiting:
                time.sleep(POLL_SECONDS)  # polling a condition, with a deadline

    def failed(self, name: str, what: str) -> StartFailed:
        """The error that names a party, what went wrong and the end of its log."""
        party, log = self.parties[name], self.log_path(name)
        return StartFailed(
            f"{self.label} {party.title} ({name}) {what} at {party.health_url}.\n"
            f"Last lines of its log, {log}:\n{log_tail(log)}"
        )

    def exited(self) -> list[tuple[str, int]]:
        """Parties that stopped by themselves since the last call, with their status."""
        gone = [(n, p.returncode) for n, p in self.running.items() if p.poll() is not None]
        for name, _status in gone:
            del self.running[name]
        return gone

    def stop(self, name: str, signum: int = signal.SIGTERM) -> int | None:
        """Stop one party's process group (SIGKILL after a grace period); its exit status."""
        process = self.running.pop(name, None)
        if process is None:
            return None
        _signal_group(process, signum)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
        _signal_group(process, signal.SIGKILL)  # anything the party itself left behind
        return process.returncode

    def stop_all(self) -> None:
        """SIGTERM every party's process group, then SIGKILL what is left after a grace period."""
        for process in self.running.values():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in self.running.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            _signal_group(process, signal.SIGKILL)  # anything the party itself left behind
        self.running.clear()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)  # start_new_session: the group id is the party's pid


def on_stop_signals(handler: Callable[[], None]) -> None:
    """Call `handler` on SIGINT (Ctrl-C) and SIGTERM instead of dying mid-way."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: handler())
