"""`silta demo`: every part its own process, a real bank login, the start page, clean stops."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from bank_mock import totp
from federation.launcher import DESCRIPTION
from federation.layout import ISSUER_PORT
from tests.support.demo import DemoRun
from tests.support.demo import alive
from tests.support.demo import free_offset
from tests.support.flow import csrf_token

pytestmark = pytest.mark.live
BIN = Path(sys.executable).parent
CARD_LINE = re.compile(r"card (\d{10})  (.+?) \((\w{10})\)  PIN (\d+)")


def post_form(session, page, **fields):
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    origin = "/".join(page.url.split("/")[:3])
    url = action if action.startswith("http") else origin + action
    return session.post(url, data={"csrf_token": csrf_token(page.text), **fields}, timeout=15)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo") / "root"
    run = DemoRun(root, free_offset(root)).start()
    yield run
    if run.process.poll() is None:
        run.stop()


def test_a_citizen_logs_in_through_a_bank(demo):
    broker, bank = demo.layout.broker_url, demo.layout.bank_url(0)
    session = requests.Session()
    start = session.get(broker + "/account/", timeout=10)
    choice = post_form(session, start)
    for name in ("Aurora Bank", "Kide Bank", "Revontuli Savings Bank"):
        assert name in choice.text
    bank_page = session.get(
        broker + re.search(r'href="([^"]+/method/bank-aurora/)"', choice.text).group(1), timeout=15
    )
    assert bank_page.url.startswith(bank)
    aino = demo.bank_customers("aurora")[0]
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


def test_the_banner_lists_every_url_and_test_login(demo):
    layout, banner = demo.layout, demo.banner
    for url in (layout.start_url, layout.broker_url, layout.bank_url(2), layout.issuer_url):
        assert url in banner
    assert "Aino Virtanen (010170-999R)" in banner and "demo5731" in banner
    assert f"{layout.bank_url(0)}/demo/key-codes" in banner
    cards = CARD_LINE.findall(banner)
    assert [(name, eid, pin) for _serial, name, eid, pin in cards] == [
        ("Aino Virtanen", "100000001V", "1234"),
        ("Mikko Korhonen", "100000002W", "2580"),
        ("Eero Laine", "100000005A", "9876"),
    ]
    desk = json.loads((demo.root / "card-issuer" / "demo-secrets.json").read_text())
    assert f"official demo-official, password {desk['DESK_PASSWORD']}" in banner
    for name in demo.processes():
        assert (demo.root / "logs" / f"{name}.log").stat().st_size > 0


def test_the_cards_are_at_the_authority_and_the_operator_cli_sees_them(demo):
    secrets = json.loads((demo.root / "card-issuer" / "demo-secrets.json").read_text())
    env = {
        **os.environ,
        "SILTA_CARD_ISSUER_URL": demo.layout.issuer_url,
        "SILTA_CARD_OPERATOR_SECRET": secrets["OPERATOR_API_KEY"],
    }
    listing = subprocess.run(
        [str(BIN / "silta"), "card", "list", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    cards = {c["serial"]: c["status"] for c in json.loads(listing.stdout)}
    assert cards == {serial: "active" for serial, *_ in CARD_LINE.findall(demo.banner)}


@pytest.mark.parametrize(
    ("lang", "title", "tax"),
    [
        ("en", "Silta demo", "Tax Administration"),
        ("fi", "Siltan esittely", "Verohallinto"),
        ("ja", "Silta デモ", "税務署"),
    ],
)
def test_the_start_page_speaks_three_languages_and_is_locked_down(demo, lang, title, tax):
    page = requests.get(demo.layout.start_url + f"/?lang={lang}", timeout=10)
    assert page.status_code == 200
    assert f'<html lang="{lang}">' in page.text and f"<title>{title}</title>" in page.text
    assert tax in page.text and f"{demo.layout.broker_url}/account/" in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and "Set-Cookie" not in page.headers
    guessed = requests.get(demo.layout.start_url, headers={"Accept-Language": "fi"}, timeout=10)
    assert '<html lang="fi">' in guessed.text


def test_ctrl_c_stops_every_process_and_its_group(demo):
    pids = demo.processes()
    assert {"broker", "aurora", "kide", "revontuli", "issuer"} <= set(pids)
    demo.stop(signal.SIGINT)
    assert [name for name, pid in pids.items() if alive(pid)] == []
    for port in demo.layout.all_ports():
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{port}/", timeout=2)


def test_sigterm_stops_a_restart_keeps_the_data_and_reset_starts_fresh(tmp_path):
    root = tmp_path / "root"
    run = DemoRun(root, free_offset(root))
    first = CARD_LINE.findall(run.start().banner)
    pids = run.processes()
    run.stop(signal.SIGTERM)
    assert [name for name, pid in pids.items() if alive(pid)] == []
    assert CARD_LINE.findall(run.start().banner) == first  # same cards, same register
    run.stop()
    fresh = CARD_LINE.findall(run.start("--reset").banner)
    run.stop()
    assert {c[0] for c in fresh}.isdisjoint({c[0] for c in first})


def test_a_part_that_does_not_come_up_is_named_with_its_log(tmp_path):
    root = tmp_path / "root"
    offset = free_offset(root)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", ISSUER_PORT + offset))
        taken.listen()
        result = subprocess.run(
            [str(BIN / "silta"), "demo", "--dir", str(root), "--port-offset", str(offset)],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    assert result.returncode == 1
    assert "The demo's card issuer (issuer)" in result.stderr
    assert (
        "Last lines of its log" in result.stderr and "Stopped every demo process." in result.stdout
    )
    assert not (root / DESCRIPTION).exists()


def test_reset_refuses_a_folder_that_is_not_a_demo(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    result = subprocess.run(
        [str(BIN / "silta"), "demo", "--dir", str(tmp_path), "--reset"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1 and "is not a Silta demo folder" in result.stderr
    assert (tmp_path / "precious.txt").read_text() == "keep me"
