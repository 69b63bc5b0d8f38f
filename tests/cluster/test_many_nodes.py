"""Any node serves any step: a login whose steps land on both nodes completes (ARCHITECTURE §6)."""

from __future__ import annotations

import itertools
import re

import pytest
import requests

from tests.cluster.citizen import Citizen
from tests.support import cluster as topology

pytestmark = pytest.mark.cluster


def test_a_login_whose_steps_land_on_both_nodes_completes(healthy, accounts):
    citizen = Citizen(healthy.url, accounts.take("aurora"))
    result = citizen.log_in_with_bank("aurora")
    assert result.completed, result
    assert result.retries == 0
    served_by = healthy.node_of()
    nodes = [served_by[rid] for rid in result.request_ids if rid in served_by]
    # Every broker request of the journey was logged by exactly the node nginx sent it to.
    assert len(nodes) == len([r for r in result.request_ids if r in served_by]) >= 8
    assert set(nodes) == {"node-a", "node-b"}, nodes
    # Round robin without stickiness: consecutive steps alternate between the nodes.
    assert any(a != b for a, b in itertools.pairwise(nodes)), nodes
    assert result.userinfo["sub"]


def test_nginx_request_id_is_the_nodes_request_id(healthy):
    response = requests.get(healthy.url + "/healthz", timeout=5)
    request_id = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, trusted
    assert request_id in healthy.node_of()
    access = (healthy.workdir / "nginx-access.log").read_text()
    upstream = next(line for line in access.splitlines() if line.startswith(request_id))
    port = int(upstream.split()[1].rsplit(":", 1)[1])
    assert healthy.node_ports[healthy.node_of()[request_id]] == port


def test_each_node_adds_up_its_workers_metrics(healthy):
    for name, port in healthy.node_ports.items():
        response = requests.get(
            f"http://127.0.0.1:{port}/metrics",
            headers={"Authorization": f"Bearer {topology.METRICS_TOKEN}"},
            timeout=5,
        )
        assert response.status_code == 200, name
        assert 'silta_method_up{method="bank-aurora"} 1.0' in response.text
        assert "silta_http_requests_total{" in response.text
    assert requests.get(healthy.url + "/metrics", timeout=5).status_code == 401
