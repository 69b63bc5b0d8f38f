"""Where the launcher puts each party: the demo's ports moved by an offset, free ports, origins."""

from __future__ import annotations

from pathlib import Path

from federation.layout import DEMO_PORTS
from federation.layout import Layout


def test_the_demo_ports_move_together_by_the_offset():
    layout = Layout(Path("demo"), offset=100)
    assert layout.broker_url == "http://127.0.0.1:8500"
    assert (layout.bank_url(2), layout.service_url(1)) == (
        "http://127.0.0.1:8513",
        "http://127.0.0.1:8532",
    )
    assert layout.all_ports() == [port + 100 for port in DEMO_PORTS.values()]


def test_free_ports_are_one_per_party_and_extra_names_get_their_own():
    layout = Layout.on_free_ports(Path("work"), extra=("node-a", "node-b"))
    ports = [layout.port_of(name) for name in (*DEMO_PORTS, "node-a", "node-b")]
    assert len(set(ports)) == len(ports)
    assert layout.broker_url == f"http://127.0.0.1:{layout.port_of('broker')}"


def test_a_public_origin_replaces_the_url_but_not_the_port_a_party_listens_on():
    layout = Layout(Path("demo")).with_public(broker="http://balancer.test", aurora="http://p.test")
    assert (layout.broker_url, layout.bank_url(0)) == ("http://balancer.test", "http://p.test")
    assert layout.port_of("broker") == 8400 and layout.bank_url(1) == "http://127.0.0.1:8412"
