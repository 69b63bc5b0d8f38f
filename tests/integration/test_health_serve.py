"""`silta serve`: gunicorn workers, node-wide metrics, fail-fast start, graceful stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from idp.ops import serving
from tests.cluster.tcp_proxy import free_port
from tests.support import cluster as topology
from tests.support.settings import TEST_SECRETS

pytestmark = pytest.mark.live
TOKEN = "serve-metrics-" + "x" * 32


@pytest.fixture
def environment(tmp_path) -> dict[str, str]:
    env = {
        **topology.base_environment(),
        **{f"SILTA_{k}": v for k, v in TEST_SECRETS.items()},
        "SILTA_DATABASE_URL": f"sqlite:///{tmp_path}/silta.db",
        "SILTA_INSTANCE_PATH": str(tmp_path / "instance"),
        "SILTA_PORT": str(free_port()),
        "SILTA_METRICS_TOKEN": TOKEN,
        "SILTA_NODE_NAME": "node-t",
        "TMPDIR": str(tmp_path),  # the node's per-run folder lands here, where we can see it
    }
    for argv in (["db", "upgrade"], ["keys", "generate"]):
        done = subprocess.run(
            [topology.console("silta"), *argv], env=env, capture_output=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    return env


def test_serve_refuses_to_start_without_secrets(environment):
    env = {k: v for k, v in environment.items() if k != "SILTA_SECRET_KEY"}
    done = subprocess.run(
        [topology.console("silta"), "serve"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "SILTA_SECRET_KEY" in done.stderr
    assert list(Path(env["TMPDIR"]).glob("silta-serve-*")) == []  # nothing left behind
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{env['SILTA_PORT']}/healthz", timeout=2)


@pytest.mark.parametrize("worker_class", ["sync", "bjoern"])
def test_serve_runs_workers_adds_up_their_metrics_and_stops_gracefully(
    environment, tmp_path, worker_class
):
    url = f"http://127.0.0.1:{environment['SILTA_PORT']}"
    log = tmp_path / "serve.log"
    node = topology.Process(
        "node-t",
        [topology.console("silta"), "serve", "--workers", "2", "--worker-class", worker_class],
        environment,
        log,
    )
    node.start()
    try:
        topology.wait_until(lambda: requests.get(url + "/readyz", timeout=2).ok, "node")
        assert len(list(tmp_path.glob("silta-serve-*/metrics"))) == 1
        with ThreadPoolExecutor(8) as pool:  # concurrent, so both workers take some
            statuses = list(pool.map(lambda _: _healthz(url), range(40)))
        assert statuses == [200] * 40
        metrics = requests.get(
            url + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5
        ).text
        served = [line for line in node.lines() if line.get("path") == "/healthz" and "pid" in line]
        assert len(_children(node.popen.pid)) == 2
        if worker_class == "sync":  # one connection per request: both workers take some
            assert len({line["pid"] for line in served}) == 2
        # (a bjoern worker keeps its connections open; fast answers may all come from one)
        total = 'silta_http_requests_total{endpoint="/healthz",method="GET",status="200"} 40.0'
        assert total in metrics  # one scrape, every worker of the node
        assert all(line["node"] == "node-t" for line in served)
    finally:
        node.signal(signal.SIGTERM)
        code = node.popen.wait(30)
    assert code == 0
    assert list(tmp_path.glob("silta-serve-*")) == []  # the per-run folder is removed


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``: a master's workers."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _healthz(url: str) -> int:
    return requests.get(url + "/healthz", headers={"Connection": "close"}, timeout=10).status_code


def test_one_process_per_node_holds_the_logout_retry_lock(tmp_path):
    lock = tmp_path / "backchannel-logout.lock"
    first, second = serving.NodeLock(lock), serving.NodeLock(lock)
    try:
        assert first.claim() is True
        assert second.claim() is False  # another worker of the node: it waits its turn
        assert first.claim() is True
        child = subprocess.run(  # a separate process (a worker) cannot take it either
            [sys.executable, "-c", _TRY_LOCK, str(lock)], capture_output=True, text=True, timeout=30
        )
        assert child.stdout.strip() == "False"
        first.release()
        assert second.claim() is True  # the next worker takes over
    finally:
        first.release()
        second.release()


_TRY_LOCK = """
import sys
from pathlib import Path
from idp.ops.serving import NodeLock
print(NodeLock(Path(sys.argv[1])).claim())
"""


def test_the_lock_passes_on_when_its_holder_dies(tmp_path):
    lock = tmp_path / "backchannel-logout.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(lock)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    waiting = serving.NodeLock(lock)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert waiting.claim() is False
        holder.kill()  # a worker killed: the kernel releases its lock
        holder.wait(10)
        assert waiting.claim() is True
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdout.close()
        waiting.release()


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from idp.ops.serving import NodeLock
lock = NodeLock(Path(sys.argv[1]))
assert lock.claim()
print("held", flush=True)
time.sleep(60)
"""


def test_the_run_folder_is_fresh_and_named_for_prometheus(monkeypatch):
    monkeypatch.setenv(serving.METRICS_ENV, "")  # restored (to unset) after the test
    first = serving.prepare_run_dir()
    second = serving.prepare_run_dir()
    try:
        assert first != second
        assert os.environ[serving.METRICS_ENV] == str(second / "metrics")
        assert list((second / "metrics").iterdir()) == []
    finally:
        for folder in (first, second):
            for path in sorted(folder.rglob("*"), reverse=True):
                path.rmdir() if path.is_dir() else path.unlink()
            Path(folder).rmdir()


def test_a_run_folder_whose_master_died_is_removed_by_the_next_start(tmp_path, monkeypatch):
    monkeypatch.setenv(serving.METRICS_ENV, "")
    monkeypatch.setattr(serving.tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(10)
    abandoned = tmp_path / "silta-serve-abandoned"
    (abandoned / "metrics").mkdir(parents=True)
    (abandoned / "master.pid").write_text(str(dead.pid))
    alive = tmp_path / "silta-serve-alive"
    (alive / "metrics").mkdir(parents=True)
    (alive / "master.pid").write_text(str(os.getpid()))
    fresh = serving.prepare_run_dir()
    assert not abandoned.exists()
    assert alive.exists() and fresh.exists()
