"""The database "restarts" under load: clean 503s while it is away, recovery without a restart."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import requests

from tests.cluster.citizen import SERVICE
from tests.cluster.citizen import Bearer
from tests.cluster.citizen import Citizen
from tests.support import cluster as topology
from tests.support.flow import query

pytestmark = pytest.mark.cluster
CITIZENS = 4
BEFORE, OUTAGE, AFTER = 3.0, 5.0, 10.0
RECOVERY = 5.0  # seconds the nodes get to notice the database is back


@dataclass
class Answer:
    at: float
    step: str
    status: int
    body: str
    content_type: str


def sso_round_trip(citizen: Citizen, answers: list[Answer]) -> None:
    """authorize (session and consent exist) → token → userinfo; each answer recorded."""

    def keep(step, response):
        if response is None:  # no answer at all: nginx or the node failed to respond
            answers.append(Answer(time.monotonic(), step, 0, "no answer", ""))
            return None
        answers.append(
            Answer(
                time.monotonic(),
                step,
                response.status_code,
                response.text[:2000],
                response.headers.get("Content-Type", ""),
            )
        )
        return response

    response = keep("authorize", citizen.send("GET", citizen.authorization_path(), retry=False))
    if response is None or response.status_code != 302:
        return
    code = query(response)["code"]
    token = keep("token", citizen.redeem(code))
    if token is None or token.status_code != 200:
        return
    userinfo = citizen.send(
        "GET", "/userinfo", auth=Bearer(token.json()["access_token"]), retry=False, headers=SERVICE
    )
    keep("userinfo", userinfo)


def test_requests_fail_cleanly_while_the_database_is_away_and_recover(healthy, accounts):
    citizens = []
    for n in range(CITIZENS):
        citizen = Citizen(healthy.url, accounts.take(topology.BANKS[n % 2]))
        assert citizen.log_in_with_bank(topology.BANKS[n % 2]).completed
        citizens.append(citizen)
    pids = {name: node.popen.pid for name, node in healthy.nodes.items()}
    answers: list[Answer] = []
    start = time.monotonic()
    stop = start + BEFORE + OUTAGE + AFTER

    def load(citizen: Citizen) -> None:
        while time.monotonic() < stop:
            try:
                sso_round_trip(citizen, answers)
            except requests.RequestException as error:  # the broker must always answer
                answers.append(Answer(time.monotonic(), "transport", 0, repr(error), ""))

    threads = [threading.Thread(target=load, args=(c,)) for c in citizens]
    for thread in threads:
        thread.start()
    time.sleep(BEFORE)
    healthy.database_proxy.cut()  # every connection reset; new ones refused
    cut_at = time.monotonic()
    time.sleep(OUTAGE)
    healthy.database_proxy.resume()
    back_at = time.monotonic()
    for thread in threads:
        thread.join(60)

    failures = [a for a in answers if a.status >= 400 or a.status == 0]
    assert [a for a in failures if not clean_unavailable(a)] == []
    during = [a for a in answers if cut_at + 0.5 < a.at < back_at]
    assert during and all(a.status == 503 for a in during), {a.status for a in during}
    assert {a.step for a in during} >= {"authorize"}
    after = [a for a in answers if a.at > back_at + RECOVERY]
    assert after and all(a.status in (200, 302) for a in after), {a.status for a in after}
    assert {a.step for a in after} == {"authorize", "token", "userinfo"}
    # Recovered without a restart: the same processes, each node ready again on its own.
    for name, node in healthy.nodes.items():
        assert node.alive and node.popen.pid == pids[name]
        ready = requests.get(f"http://127.0.0.1:{healthy.node_ports[name]}/readyz", timeout=5)
        assert ready.status_code == 200, ready.text
    logged = [line for node in healthy.nodes.values() for line in node.lines()]
    assert not [line for line in logged if line.get("message") == "error.unexpected"]


def clean_unavailable(answer: Answer) -> bool:
    """503 with a page and error id for the browser, or temporarily_unavailable for a service."""
    if answer.status != 503 or "Traceback" in answer.body:
        return False
    if answer.step == "authorize":
        return "text/html" in answer.content_type and 'class="error-id"' in answer.body
    return '"error":"temporarily_unavailable"' in answer.body.replace(" ", "")
