"""The bjoern worker class (idp/ops/workers.py) under a real gunicorn master.

A tiny WSGI app (tests/support/bjoern_node.py) stands in for the broker, so each test can hold
a request open as long as it needs; the broker itself under these workers is tested in
test_health_serve.py.
"""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.cluster.tcp_proxy import free_port
from tests.support import cluster as topology

pytestmark = pytest.mark.live


class BjoernNode:
    def __init__(self, log: Path, *settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("ab") as out:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "tests.support.bjoern_node", str(self.port), *settings],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        topology.wait_until(self.answers, "bjoern node", 30)

    def answers(self) -> bool:
        try:
            return requests.get(self.url + "/", timeout=2).ok
        except requests.ConnectionError:
            return False

    def worker_pid(self) -> int:
        return int(requests.get(self.url + "/", timeout=5).text.split()[1])

    def stop(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGKILL)
        return self.popen.wait(10)


@pytest.fixture
def node(tmp_path):
    started: list[BjoernNode] = []

    def start(*settings: str) -> BjoernNode:
        started.append(BjoernNode(tmp_path / f"node-{len(started)}.log", *settings))
        return started[-1]

    yield start
    for each in started:
        each.stop()


def test_keep_alive_one_connection_many_requests(node):
    running = node()
    connection = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
    try:
        connection.request("GET", "/")
        assert connection.getresponse().read().startswith(b"pid ")
        first = connection.sock
        for _ in range(19):
            connection.request("GET", "/")
            answer = connection.getresponse()
            assert answer.status == 200 and not answer.will_close
            answer.read()
            assert connection.sock is first  # the same socket: never closed in between
    finally:
        connection.close()


def test_a_graceful_stop_finishes_the_request_in_flight(node):
    running = node("graceful_timeout=10")
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(requests.get, running.url + "/slow?s=1.5", timeout=10)
        time.sleep(0.5)  # the request is being served
        running.popen.send_signal(signal.SIGTERM)
        answer = slow.result()
    assert answer.status_code == 200
    assert running.popen.wait(15) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(running.url + "/", timeout=2)  # no longer listening


def test_quit_stops_at_once_without_waiting_for_requests(node):
    running = node("graceful_timeout=30")
    with ThreadPoolExecutor(1) as pool:
        slow = pool.submit(requests.get, running.url + "/slow?s=20", timeout=30)
        time.sleep(0.5)
        started = time.monotonic()
        running.popen.send_signal(signal.SIGQUIT)
        assert running.popen.wait(10) == 0
        assert time.monotonic() - started < 8  # not the 20 s of the request
        with pytest.raises(requests.ConnectionError):
            slow.result()


def test_a_request_past_the_timeout_gets_the_worker_replaced(node):
    running = node("timeout=2")
    before = running.worker_pid()
    with pytest.raises(requests.ConnectionError):
        requests.get(running.url + "/slow?s=30", timeout=30)  # the master kills its worker
    topology.wait_until(running.answers, "a new worker", 30)
    assert running.worker_pid() != before
    assert running.popen.poll() is None  # the node itself goes on


def test_the_heartbeat_keeps_an_idle_worker(node):
    running = node("timeout=2")
    before = running.worker_pid()
    time.sleep(5)  # over two timeouts with nothing to serve
    assert running.worker_pid() == before


def test_max_requests_restarts_the_worker_after_its_last_answer(node):
    running = node("max_requests=5")
    first = running.worker_pid()
    answers = [requests.get(running.url + "/", timeout=5) for _ in range(4)]
    assert all(a.ok for a in answers)  # none lost while the worker hands over
    topology.wait_until(lambda: running.answers() and running.worker_pid() != first, "new", 30)
