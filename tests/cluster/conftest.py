"""The cluster: started once for these tests, put back to health before each of them.

It needs PostgreSQL and nginx. Without them the tests are skipped with the reason, except under
CI (CI=true), where they must run and their absence fails the build.
"""

from __future__ import annotations

import os
import threading

import pytest
import requests

from tests.cluster import nginx
from tests.cluster.citizen import synthetic_accounts
from tests.support import cluster as topology
from tests.support import pg_database
from tests.support.settings import database_server

MACHINE_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def admin_url() -> str:
    """The server the suite's PostgreSQL run uses, else the machine's; its maintenance db."""
    configured = database_server()
    return pg_database.maintenance_url(configured if configured else MACHINE_SERVER)


def unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI requires the cluster tests: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    if nginx.nginx_binary() is None:
        unavailable("nginx is not installed (make test installs it from Debian's packages)")
    if not pg_database.database_answers(admin_url()):
        unavailable(f"no PostgreSQL answers at {admin_url()}")
    url = pg_database.create_database(admin_url(), "silta_cluster")
    try:
        running = topology.start(tmp_path_factory.mktemp("cluster"), url)
        try:
            yield running
        finally:
            running.stop()
    finally:
        pg_database.drop_database(url)


@pytest.fixture
def healthy(cluster):
    """Every node up, the database and banks reachable and behaving, before the test."""
    cluster.database_proxy.resume()
    for bank_id, proxy in cluster.bank_proxies.items():
        proxy.garbage = False
        cluster.set_scenario(bank_id, "")
    for name, node in cluster.nodes.items():
        if not node.alive:
            cluster.start_node(name)
    topology.wait_until(
        lambda: requests.get(cluster.url + "/readyz", timeout=2).ok, "cluster ready", 30
    )
    return cluster


class Accounts:
    """Each bank customer logs in once per run, so every login is a fresh person."""

    def __init__(self) -> None:
        self._left = {bank_id: synthetic_accounts(bank_id) for bank_id in topology.BANKS}
        self._lock = threading.Lock()

    def take(self, bank_id: str):
        with self._lock:
            return self._left[bank_id].pop(0)


@pytest.fixture(scope="session")
def accounts() -> Accounts:
    return Accounts()
