"""Two `silta serve` nodes on one PostgreSQL database, behind a real nginx, with the mock banks.

Every part is a real process on loopback: the nodes (gunicorn masters with their workers), the
three banks, and nginx (round robin, no sticky sessions). The database is a private one created
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

from idp.authenticators.bank import keys as federation_keys
from tests.cluster.tcp_proxy import TcpProxy
from tests.cluster.tcp_proxy import free_port
from tests.support.settings import TEST_SECRETS

BANKS = ("aurora", "kide", "revontuli")
BROKER_CLIENT_ID = "silta"
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


@dataclass
class Cluster:
    workdir: Path
    database_url: str  # direct, for the test's own checks
    url: str = ""  # nginx: the issuer every citizen and service uses
    nodes: dict[str, Process] = field(default_factory=dict)
    node_ports: dict[str, int] = field(default_factory=dict)
    banks: dict[str, Process] = field(default_factory=dict)
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
        node = self.nodes[name]
        node.start()
        url = f"http://127.0.0.1:{self.node_ports[name]}/readyz"
        wait_until(lambda: requests.get(url, timeout=2).ok, f"node {name}", process=node.popen)

    def silta(self, *argv: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [console("silta"), *argv], env=self.env, capture_output=True, text=True, timeout=120
        )

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.database_url, poolclass=sa.pool.NullPool)

    def stop(self) -> None:
        for process in [self.nginx, *self.nodes.values(), *self.banks.values()]:
            if process is not None and process.alive:
                process.stop()
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
    keys = federation_keys.generate(work / "federation-keys.json")
    for bank_id in BANKS:
        cluster.bank_proxies[bank_id] = TcpProxy(free_port())
    (work / "banks.toml").write_text(
        "".join(
            f'[[banks]]\nid = "{b}"\nname = "{b.title()} Bank"\nissuer = "{cluster.bank_url(b)}"'
            f'\nclient_id = "{BROKER_CLIENT_ID}"\n\n'
            for b in BANKS
        )
    )
    (work / "clients.toml").write_text(
        f'[[clients]]\nclient_id = "{CLIENT_ID}"\nname = "Benefits Office"\n'
        f'purpose = "To decide your benefit."\nredirect_uris = ["{REDIRECT_URI}"]\n'
        f'token_endpoint_auth_method = "client_secret_basic"\nclient_secret = "{CLIENT_SECRET}"\n'
        'allowed_scopes = ["openid", "profile"]\n'
        'allowed_claims = ["given_name", "family_name", "name", "birthdate"]\n'
        'grant_types = ["authorization_code"]\n'
    )
    cluster.env = {
        **base_environment(),
        **{f"SILTA_{k}": v for k, v in TEST_SECRETS.items()},
        "SILTA_DATABASE_URL": proxied.render_as_string(hide_password=False),
        "SILTA_ISSUER": cluster.url,
        "SILTA_BANKS_FILE": str(work / "banks.toml"),
        "SILTA_FEDERATION_KEYS_FILE": str(work / "federation-keys.json"),
        "SILTA_SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "SILTA_UPSTREAM_TIMEOUT": "2",
        "SILTA_UPSTREAM_HEALTH_INTERVAL": "1",
        "SILTA_TRUST_REQUEST_ID": "1",  # nginx always sets X-Request-Id
        "SILTA_METRICS_TOKEN": METRICS_TOKEN,
        "SILTA_SERVE_WORKERS": "2",
        "SILTA_SERVE_THREADS": "4",
        "SILTA_SERVE_GRACEFUL_TIMEOUT": "5",
    }
    for argv in (["db", "upgrade"], ["keys", "generate"], ["clients", "import", "clients.toml"]):
        done = cluster.silta(*[str(work / a) if a.endswith(".toml") else a for a in argv])
        assert done.returncode == 0, done.stderr
    _start_banks(cluster, keys.public_jwks())
    for name in ("node-a", "node-b"):
        cluster.node_ports[name] = free_port()
        cluster.nodes[name] = Process(
            name,
            [console("silta"), "serve", "--bind", f"127.0.0.1:{cluster.node_ports[name]}"],
            {**cluster.env, "SILTA_NODE_NAME": name, "SILTA_INSTANCE_PATH": str(work / name)},
            work / f"{name}.log",
        )
        cluster.start_node(name)
    from tests.cluster import nginx  # it builds on this module's Process

    cluster.nginx = nginx.start(cluster, nginx_port)


def _start_banks(cluster: Cluster, broker_jwks: dict) -> None:
    work = cluster.workdir
    (work / "broker.jwks.json").write_text(json.dumps(broker_jwks))
    for bank_id in BANKS:
        folder = work / f"bank-{bank_id}"
        folder.mkdir()
        (folder / "clients.toml").write_text(
            f'[[clients]]\nclient_id = "{BROKER_CLIENT_ID}"\n'
            f'redirect_uris = ["{cluster.url}/method/bank-{bank_id}/callback"]\n'
            f'jwks_file = "{work / "broker.jwks.json"}"\n'
        )
        port = cluster.bank_proxies[bank_id].target[1]
        env = {
            **base_environment(),
            "BANK_INSTANCE_PATH": str(folder),
            "BANK_ISSUER": cluster.bank_url(bank_id),
            "BANK_HOST": "127.0.0.1",
            "BANK_PORT": str(port),
            "BANK_CLIENTS_FILE": str(folder / "clients.toml"),
            "BANK_SECRET_KEY": secrets.token_urlsafe(32),
            "BANK_RATE_LIMIT_PER_MINUTE": "1000000",  # every citizen here shares one address
            "BANK_SLOW_SECONDS": "4",  # above the broker's UPSTREAM_TIMEOUT of 2 s
        }
        seeded = subprocess.run(
            [console("silta-bank"), "seed", "--bank", bank_id, "--count", str(SYNTHETIC)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert seeded.returncode == 0, seeded.stderr
        bank = Process(
            bank_id,
            [console("silta-bank"), "run", "--bank", bank_id, "--demo"],
            env,
            work / f"bank-{bank_id}.log",
        )
        cluster.banks[bank_id] = bank
        bank.start()
        cluster.bank_proxies[bank_id].start()
        url = cluster.bank_url(bank_id) + "/healthz"
        wait_until(lambda u=url: requests.get(u, timeout=2).ok, bank_id, process=bank.popen)
