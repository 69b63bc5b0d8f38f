"""Two `silta serve` nodes on one PostgreSQL database, behind a real nginx, with the mock banks.

Every part is a real process on loopback: the nodes (gunicorn masters with their workers) and
the three banks, brought up together by the federation's launcher, and nginx (round robin, no
sticky sessions). The database is a private one created
for the run and dropped after. The nodes reach PostgreSQL, and everyone reaches the banks,
through small TCP proxies in the test process, so a test can "restart" the database (reset every
connection and every new one for a while) or make a bank answer garbage without touching
the machine's real PostgreSQL server, which other runs use.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import requests
import sqlalchemy as sa

from federation import launcher
from federation.layout import Layout
from federation.plan import Selection
from tests.cluster.tcp_proxy import TcpProxy
from tests.cluster.tcp_proxy import free_port
from tests.support.federation import seed_banks
from tests.support.settings import TEST_SECRETS

BANKS = ("aurora", "kide", "revontuli")
NODES = ("node-a", "node-b")
CLIENT_ID = "benefits"
CLIENT_SECRET = "cluster-client-secret-" + "s" * 24
REDIRECT_URI = "https://benefits.example/callback"
METRICS_TOKEN = "cluster-metrics-" + "m" * 24
SYNTHETIC = 1500  # synthetic citizens seeded at the banks: one fresh person per login
START_TIMEOUT = 60


def console(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def wait_until(check, what: str, timeout: float = START_TIMEOUT, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: the process stopped (exit {process.returncode})")
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what}: not ready after {timeout} s")


@dataclass
class Process:
    """A child process in its own session, its output in a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.popen = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, number: int) -> None:
        if self.alive:
            os.killpg(self.popen.pid, number)  # the node's master and every worker

    def stop(self, timeout: float = 20) -> int | None:
        self.signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout) if self.popen else None
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            return self.popen.wait(5)

    def lines(self) -> list[dict]:
        """The JSON lines of the log (gunicorn's own plain lines are skipped)."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found


class Node:
    """A party of the launched federation (a broker node, a bank), as the cluster tests use it."""

    def __init__(self, running: launcher.Federation, name: str) -> None:
        self.running, self.name = running, name
        self.log = running.supervisor.log_path(name)

    @property
    def popen(self) -> subprocess.Popen | None:
        return self.running.supervisor.running.get(self.name)

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal(self, number: int) -> None:
        if self.alive:
            os.killpg(self.popen.pid, number)  # the node's master and every worker

    def stop(self) -> int | None:
        return self.running.stop_party(self.name)

    def lines(self) -> list[dict]:
        """The JSON lines of the log (gunicorn's own plain lines are skipped)."""
        found = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found


@dataclass
class Cluster:
    workdir: Path
    database_url: str  # direct, for the test's own checks
    url: str = ""  # nginx: the issuer every citizen and service uses
    running: launcher.Federation | None = None
    nodes: dict[str, Node] = field(default_factory=dict)
    node_ports: dict[str, int] = field(default_factory=dict)
    banks: dict[str, Node] = field(default_factory=dict)
    bank_proxies: dict[str, TcpProxy] = field(default_factory=dict)
    database_proxy: TcpProxy | None = None
    nginx: Process | None = None
    env: dict[str, str] = field(default_factory=dict)

    def bank_url(self, bank_id: str) -> str:
        return f"http://127.0.0.1:{self.bank_proxies[bank_id].port}"

    def set_scenario(self, bank_id: str, scenario: str = "") -> None:
        real = f"http://127.0.0.1:{self.bank_proxies[bank_id].target[1]}"
        answer = requests.post(real + "/demo/scenario", data={"scenario": scenario}, timeout=5)
        assert answer.status_code == 200, answer.text

    def node_of(self) -> dict[str, str]:
        """request id → the node that served it, from the nodes' JSON access lines."""
        return {
            line["request_id"]: name
            for name, node in self.nodes.items()
            for line in node.lines()
            if line.get("message") == "request.served"
        }

    def start_node(self, name: str) -> None:
        """Start a node again as it was planned; return once it answers /readyz."""
        self.running.start_party(name)

    def silta(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [console("silta"), *argv], env=self.env, capture_output=True, text=True, timeout=120
        )

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.database_url, poolclass=sa.pool.NullPool)

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.alive:
            self.nginx.stop()
        if self.running is not None:
            self.running.stop()
        for proxy in [self.database_proxy, *self.bank_proxies.values()]:
            if proxy is not None:
                proxy.close()


def base_environment() -> dict[str, str]:
    """The test process's environment without any SILTA_ or BANK_ setting of its own."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("SILTA_", "BANK_"))}


def start(workdir: Path, database_url: str) -> Cluster:
    """Start the whole topology; on any failure, stop what started and raise."""
    cluster = Cluster(workdir, database_url)
    try:
        _start(cluster)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _start(cluster: Cluster) -> None:
    work = cluster.workdir
    nginx_port = free_port()
    cluster.url = f"http://127.0.0.1:{nginx_port}"
    database = sa.engine.make_url(cluster.database_url)
    cluster.database_proxy = TcpProxy(database.port or 5432)
    cluster.database_proxy.start()
    proxied = database.set(port=cluster.database_proxy.port)
    layout = Layout.on_free_ports(work, extra=NODES)
    for bank_id in BANKS:  # everyone reaches a bank through its proxy
        cluster.bank_proxies[bank_id] = TcpProxy(layout.port_of(bank_id))
    layout = layout.with_public(broker=cluster.url, **{b: cluster.bank_url(b) for b in BANKS})
    (work / "clients.toml").write_text(
        f'[[clients]]\nclient_id = "{CLIENT_ID}"\nname = "Benefits Office"\n'
        f'purpose = "To decide your benefit."\nredirect_uris = ["{REDIRECT_URI}"]\n'
        f'token_endpoint_auth_method = "client_secret_basic"\nclient_secret = "{CLIENT_SECRET}"\n'
        'allowed_scopes = ["openid", "profile"]\n'
        'allowed_claims = ["given_name", "family_name", "name", "birthdate"]\n'
        'grant_types = ["authorization_code"]\n'
    )
    settings = {
        **{f"SILTA_{k}": v for k, v in TEST_SECRETS.items()},
        "SILTA_DATABASE_URL": proxied.render_as_string(hide_password=False),
        "SILTA_SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "SILTA_UPSTREAM_TIMEOUT": "2",
        "SILTA_UPSTREAM_HEALTH_INTERVAL": "1",
        "SILTA_TRUST_REQUEST_ID": "1",  # nginx always sets X-Request-Id
        "SILTA_METRICS_TOKEN": METRICS_TOKEN,
        "SILTA_SERVE_WORKERS": "2",
        "SILTA_SERVE_THREADS": "4",
        "SILTA_SERVE_GRACEFUL_TIMEOUT": "5",
    }
    cluster.env = {**base_environment(), **settings, "SILTA_ISSUER": cluster.url}
    # One operator, once, before any node serves: the schema, the signing keys, the service.
    for argv in (["db", "upgrade"], ["keys", "generate"], ["clients", "import", "clients.toml"]):
        done = cluster.silta(*[str(work / a) if a.endswith(".toml") else a for a in argv])
        assert done.returncode == 0, done.stderr
    bank = {
        "BANK_SECRET_KEY": secrets.token_urlsafe(32),
        "BANK_RATE_LIMIT_PER_MINUTE": "1000000",  # every citizen here shares one address
        "BANK_SLOW_SECONDS": "4",  # above the broker's UPSTREAM_TIMEOUT of 2 s
    }
    selection = Selection(
        banks=BANKS,
        issuer=False,
        reader=False,
        services=(),
        broker=("serve",),
        nodes=NODES,
        demo=False,
        env={"broker": settings, "bank": bank},
    )
    for proxy in cluster.bank_proxies.values():
        proxy.start()
    cluster.running = launcher.launch(layout, selection)
    cluster.nodes = {name: Node(cluster.running, name) for name in NODES}
    cluster.node_ports = {name: layout.port_of(name) for name in NODES}
    cluster.banks = {bank_id: Node(cluster.running, bank_id) for bank_id in BANKS}
    folders = {bank_id: cluster.running.parties[bank_id].folder for bank_id in BANKS}
    seed_banks(folders, SYNTHETIC)  # one fresh person per login
    from tests.cluster import nginx  # it builds on this module's Process

    cluster.nginx = nginx.start(cluster, nginx_port)
