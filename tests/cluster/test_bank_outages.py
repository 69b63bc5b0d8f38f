"""A bank down, slow or answering garbage under load: the others keep working, it comes back."""

from __future__ import annotations

import re
import threading
import time

import pytest
import requests

from tests.cluster.citizen import Citizen
from tests.cluster.citizen import is_clear_page
from tests.support import cluster as topology

pytestmark = pytest.mark.cluster
FAILING = "revontuli"
CITIZENS = 4
LOAD_SECONDS = 10


def break_bank(cluster, how: str) -> None:
    if how == "garbage":
        cluster.bank_proxies[FAILING].garbage = True  # discovery, JWKS, pages: all nonsense
    else:
        cluster.set_scenario(FAILING, how)  # the bank's own `down` (503) or `slow` (4 s)


def mend_bank(cluster, how: str) -> None:
    cluster.bank_proxies[FAILING].garbage = False
    cluster.set_scenario(FAILING, "")


def method_states(cluster) -> set[str]:
    """What each node's /readyz says of the failing bank."""
    return {
        requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10).json()["methods"][
            f"bank-{FAILING}"
        ]
        for port in cluster.node_ports.values()
    }


def upstream_errors(cluster) -> float:
    total = 0.0
    for port in cluster.node_ports.values():
        text = requests.get(
            f"http://127.0.0.1:{port}/metrics",
            headers={"Authorization": f"Bearer {topology.METRICS_TOKEN}"},
            timeout=10,
        ).text
        pattern = rf'silta_upstream_errors_total\{{code="[^"]+",method="bank-{FAILING}"\}} (\S+)'
        total += sum(float(v) for v in re.findall(pattern, text))
    return total


@pytest.mark.parametrize("how", ["down", "slow", "garbage"])
def test_one_bank_failing_under_load_leaves_the_others_working(healthy, accounts, how):
    errors_before = upstream_errors(healthy)
    break_bank(healthy, how)
    # The broker learns it within UPSTREAM_HEALTH_INTERVAL (1 s here) in each worker. A citizen
    # it sent to the bank before that meets the bank's own failure there, not a broker page.
    topology.wait_until(lambda: method_states(healthy) == {"down"}, "bank seen down", timeout=20)
    time.sleep(1.5)
    results, lock = {"healthy": [], "failing": []}, threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def citizen(number: int) -> None:
        bank_id = ("aurora", "kide", FAILING, "aurora")[number % 4]
        kind = "failing" if bank_id == FAILING else "healthy"
        while time.monotonic() < stop:
            result = Citizen(healthy.url, accounts.take(bank_id)).log_in_with_bank(bank_id)
            with lock:
                results[kind].append(result)
            if not result.completed:
                time.sleep(0.5)  # a person reads the page before trying again

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CITIZENS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert results["healthy"] and all(r.completed for r in results["healthy"])
    assert results["failing"] and all(is_clear_page(r) for r in results["failing"])
    assert method_states(healthy) == {"down"}
    assert upstream_errors(healthy) > errors_before

    mend_bank(healthy, how)  # nothing restarted: the method's health check notices by itself
    topology.wait_until(lambda: method_states(healthy) == {"up"}, "bank back up", timeout=20)
    # Each worker of each node learns it on its own within UPSTREAM_HEALTH_INTERVAL (1 s here):
    # until then a citizen may still meet the clear "bank unavailable" page, and tries again.
    deadline = time.monotonic() + 20
    while True:
        back = Citizen(healthy.url, accounts.take(FAILING)).log_in_with_bank(FAILING)
        if back.completed or time.monotonic() > deadline:
            break
        assert is_clear_page(back) and back.page_code == "bank_unavailable", back
        time.sleep(0.5)
    assert back.completed, back
