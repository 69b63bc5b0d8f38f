"""Ports are chosen below the ephemeral range and claimed, so two runs never pick the same one."""

from __future__ import annotations

import socket
import subprocess
import sys

from federation import ports

CLAIM_IN_CHILD = "import sys; from federation import ports; print(ports.claim(int(sys.argv[1])))"


def test_a_free_port_lies_below_the_range_outgoing_connections_are_given():
    port = ports.free_port()
    try:
        assert ports.LOWEST <= port <= ports.highest()
        low = int(ports.EPHEMERAL_RANGE.read_text().split()[0])
        assert port < low
    finally:
        ports.release([port])


def test_a_claimed_port_is_refused_to_another_process_until_released():
    port = ports.free_port()
    child = [sys.executable, "-c", CLAIM_IN_CHILD, str(port)]
    try:
        assert subprocess.run(child, capture_output=True, text=True, check=True).stdout == "False\n"
        assert not ports.claim(port)  # nor twice in this one
    finally:
        ports.release([port])
    assert subprocess.run(child, capture_output=True, text=True, check=True).stdout == "True\n"


def test_a_port_something_listens_on_is_not_claimed():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert not ports.claim(listener.getsockname()[1])


def test_an_offset_claims_every_demo_port_at_once():
    demo = [8400, 8411, 8430, 8434]
    offset = ports.free_offset(demo)
    try:
        assert all(not ports.claim(p + offset) for p in demo)  # all held already
        assert max(demo) + offset <= ports.highest()
    finally:
        ports.release(p + offset for p in demo)
