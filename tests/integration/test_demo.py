"""`silta demo`: broker and banks as separate processes, keys exchanged, a real bank login."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from bank_mock import totp
from tests.support.flow import csrf_token

pytestmark = pytest.mark.live
BIN = Path(sys.executable).parent


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def post_form(session, page, **fields):
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    origin = "/".join(page.url.split("/")[:3])
    url = action if action.startswith("http") else origin + action
    return session.post(url, data={"csrf_token": csrf_token(page.text), **fields}, timeout=15)


@pytest.fixture
def demo(tmp_path):
    broker, *banks = free_ports(4)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SILTA_", "BANK_"))}
    process = subprocess.Popen(
        [
            str(BIN / "silta"),
            "demo",
            "--dir",
            str(tmp_path),
            "--broker-port",
            str(broker),
            "--bank-ports",
            ",".join(map(str, banks)),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        output.append(line)
        if "Ctrl-C stops every process" in line or process.poll() is not None:
            break
    assert "Silta demo federation is up." in "".join(output), "".join(output)[-3000:]
    yield (
        f"http://127.0.0.1:{broker}",
        [f"http://127.0.0.1:{p}" for p in banks],
        "".join(output),
        tmp_path,
    )
    process.send_signal(signal.SIGINT)
    rest = process.communicate(timeout=30)[0]
    assert "Stopped every demo process." in rest
    for port in (broker, *banks):
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_demo_starts_the_federation_and_a_citizen_logs_in_through_a_bank(demo):
    broker, banks, banner, root = demo
    assert "Test logins" in banner
    assert "Aino Virtanen (010170-999R)" in banner
    session = requests.Session()
    start = session.get(broker + "/account/", timeout=10)
    choice = post_form(session, start)
    for name in ("Aurora Bank", "Kide Bank", "Revontuli Savings Bank"):
        assert name in choice.text
    bank_page = session.get(
        broker + re.search(r'href="([^"]+/method/bank-aurora/)"', choice.text).group(1), timeout=15
    )
    assert bank_page.url.startswith(banks[0])
    env = {**os.environ, "BANK_INSTANCE_PATH": str(root / "bank-aurora"), "BANK_ISSUER": banks[0]}
    customers = json.loads(
        subprocess.run(
            [str(BIN / "silta-bank"), "customers", "--bank", "aurora", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    )
    aino = customers[0]
    code_page = post_form(
        session, bank_page, customer_number=aino["customer_number"], password=aino["password"]
    )
    release = post_form(
        session, code_page, code=totp.code_at(base64.b32decode(aino["totp_secret"]))
    )
    assert "Identify yourself to Silta" in release.text
    account = post_form(session, release, decision="continue")
    assert account.url.startswith(broker + "/account")
    assert "Aino Virtanen" in account.text
