"""kill -9 of a node under a sustained load of logins: nothing started is lost (ARCHITECTURE §6)."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from tests.cluster.citizen import Citizen
from tests.cluster.citizen import is_clear_page
from tests.cluster.ledger import check_nothing_lost_or_duplicated

pytestmark = pytest.mark.cluster
CITIZENS = 6  # logging in at once, each one login after another
LOAD_SECONDS = 24
KILL_AFTER = 8


def test_kill_9_of_a_node_mid_login_loses_and_duplicates_nothing(healthy, accounts):
    results, lock = [], threading.Lock()
    stop = time.monotonic() + LOAD_SECONDS

    def citizen(number: int) -> None:
        bank_id = ("aurora", "kide")[number % 2]
        while time.monotonic() < stop:
            result = Citizen(healthy.url, accounts.take(bank_id)).log_in_with_bank(bank_id)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CITIZENS)]
    for thread in threads:
        thread.start()
    time.sleep(KILL_AFTER)
    victim = healthy.nodes["node-b"]
    victim.signal(signal.SIGKILL)  # the master and its workers, with requests in flight
    killed_at = time.monotonic()
    for thread in threads:
        thread.join(120)
    assert not victim.alive

    unfinished = [r for r in results if not r.completed and not is_clear_page(r)]
    assert unfinished == [], unfinished[:3]
    spanning = [r for r in results if r.started < killed_at < r.ended]
    assert spanning, "no login was in flight when the node died"
    assert any(r.completed for r in spanning), "no login in flight at the kill completed"
    assert sum(r.completed for r in results if r.started > killed_at) > 0
    # nginx met the dead node (a request cut short, or refused) and moved on to the other one;
    # whatever it could not move (a POST already sent) the citizen retried (Result.retries).
    dead = f"127.0.0.1:{healthy.node_ports['node-b']}"
    met = [
        line
        for line in (healthy.workdir / "nginx-error.log").read_text().splitlines()
        if dead in line and ("refused" in line or "prematurely closed" in line)
    ]
    assert met, "nginx never met the dead node: the kill hit nothing"
    check_nothing_lost_or_duplicated(healthy, results)
