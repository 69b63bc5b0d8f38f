"""Ports for parties started on this machine: free, outside the kernel's ephemeral range, claimed.

A port the kernel called free a moment ago may be gone by the time a party binds it: another
run's launcher may have picked it too, or an outgoing connection may have been given it as its
local port (the kernel hands those out from ``ip_local_port_range``). So ports are chosen below
that range, where outgoing connections never land, and each is claimed with an exclusive lock
on a file in the machine's temporary folder, which every Silta run on the machine honours. A
claim lasts until it is released or the process that took it ends (the kernel drops the lock).
"""

from __future__ import annotations

import fcntl
import os
import random
import socket
import tempfile
from collections.abc import Iterable
from pathlib import Path

CLAIMS = Path(tempfile.gettempdir()) / "silta-ports"
LOWEST = 10000  # below: well-known and registered services (the demo's own 8400–8434 among them)
EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_held: dict[int, int] = {}  # port -> the file descriptor holding its lock


def highest() -> int:
    """The highest port below the kernel's ephemeral range (32767 where it cannot be read)."""
    try:
        low = int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return max(low - 1, LOWEST + 1000)


def claim(port: int, host: str = "127.0.0.1") -> bool:
    """Claim ``port`` if no Silta run holds it and nothing listens on it; whether it was."""
    if port in _held:
        return False
    CLAIMS.mkdir(mode=0o1777, parents=True, exist_ok=True)
    fd = os.open(CLAIMS / str(port), os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    if not bindable(port, host):
        os.close(fd)
        return False
    _held[port] = fd
    return True


def release(ports: Iterable[int]) -> None:
    """Give claimed ports back (their parties have stopped)."""
    for port in ports:
        fd = _held.pop(port, None)
        if fd is not None:
            os.close(fd)


def bindable(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could bind ``port`` now (as werkzeug and gunicorn do, reusing TIME_WAIT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A claimed port for one party."""
    top = highest()
    for _ in range(1000):
        port = random.randrange(LOWEST, top)  # noqa: S311 - spreading runs out, not a secret
        if claim(port, host):
            return port
    raise RuntimeError(f"no free port between {LOWEST} and {top}")


def free_offset(ports: Iterable[int], host: str = "127.0.0.1", step: int = 50) -> int:
    """An offset at which every one of ``ports`` (the demo's) is claimed for this run."""
    wanted = sorted(set(ports))
    top = highest()
    for _ in range(500):
        offset = random.randrange(LOWEST - wanted[0], top - wanted[-1], step)  # noqa: S311
        taken: list[int] = []
        for port in wanted:
            if not claim(port + offset, host):
                break
            taken.append(port + offset)
        else:
            return offset
        release(taken)
    raise RuntimeError("no free range of demo ports")
