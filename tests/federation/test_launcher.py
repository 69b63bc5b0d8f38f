"""The launcher: parties up through their own commands, described while they run, all stopped."""

from __future__ import annotations

import os

import pytest
import requests

from federation.launcher import DESCRIPTION
from federation.launcher import description
from federation.launcher import launch
from federation.layout import Layout
from federation.plan import Selection
from federation.processes import StartFailed
from federation.processes import Supervisor

pytestmark = pytest.mark.live
# The demo broker (`silta` alone: debug mode, its own SQLite) and one bank.
SMALL = Selection(banks=("aurora",), issuer=False, reader=False, services=())


def group_alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


class Recording(Supervisor):
    """A supervisor that remembers the pid of every party it started."""

    def __init__(self, logs) -> None:
        super().__init__(logs)
        self.started: dict[str, int] = {}

    def start(self, party) -> None:
        super().start(party)
        self.started[party.name] = self.running[party.name].pid


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    federation = launch(Layout.on_free_ports(tmp_path_factory.mktemp("launcher")), SMALL)
    yield federation
    federation.stop()


def test_every_party_answers_and_the_broker_sees_its_bank_up(running):
    ready = requests.get(running.url("broker").rstrip("/") + "/readyz", timeout=10)
    assert ready.json()["methods"]["bank-aurora"] == "up"
    assert requests.get(running.url("aurora") + "/healthz", timeout=10).status_code == 200


def test_the_description_says_where_each_party_is(running):
    described = description(running.layout.root)
    assert set(described["parties"]) == {"broker", "aurora"}
    aurora = described["parties"]["aurora"]
    assert aurora["url"] == running.layout.bank_url(0)
    assert aurora["folder"] == str(running.layout.folder("bank-aurora"))
    assert group_alive(aurora["pid"]) and "card_authority" not in described


def test_a_stopped_party_refuses_connections_and_starts_again_on_its_port(running):
    before = running.pids()["aurora"]
    assert running.stop_party("aurora") is not None
    assert not group_alive(before)
    with pytest.raises(requests.ConnectionError):
        requests.get(running.url("aurora") + "/healthz", timeout=5)
    running.start_party("aurora")
    assert requests.get(running.url("aurora") + "/healthz", timeout=10).status_code == 200
    assert description(running.layout.root)["parties"]["aurora"]["pid"] == running.pids()["aurora"]


def test_stopping_ends_every_process_group_and_the_description(tmp_path):
    federation = launch(Layout.on_free_ports(tmp_path), SMALL)
    pids = federation.pids()
    federation.stop()
    assert [name for name, pid in pids.items() if group_alive(pid)] == []
    assert not (tmp_path / DESCRIPTION).exists()
    with pytest.raises(StartFailed, match="No federation runs"):
        description(tmp_path)


def test_a_party_that_cannot_start_is_named_with_its_log_and_the_rest_is_stopped(tmp_path):
    broken = Selection(
        banks=("aurora",),
        issuer=False,
        reader=False,
        services=(),
        env={"bank": {"BANK_MAX_FAILURES": "many"}},  # the bank refuses to start on it
    )
    supervisor = Recording(tmp_path / "logs")
    with pytest.raises(StartFailed) as failed:
        launch(Layout.on_free_ports(tmp_path), broken, supervisor=supervisor)
    message = str(failed.value)
    assert "Aurora Bank (aurora) stopped with status" in message
    assert "Last lines of its log" in message and "MAX_FAILURES" in message
    assert not (tmp_path / DESCRIPTION).exists()
    assert set(supervisor.started) == {"broker", "aurora"}
    assert [name for name, pid in supervisor.started.items() if group_alive(pid)] == []
