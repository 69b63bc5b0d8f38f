"""Which processes the launcher starts, with what command and environment.

A ``Selection`` names the parties (all of them for `silta demo`; a broker and banks for most
tests), the broker's command (`silta` alone in the demo, `silta run` or `silta serve` elsewhere),
its nodes, and settings the caller adds per kind of party. ``plan`` sets each chosen party up as
an operator would (setup.py), the independent steps side by side, and returns its processes.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from dataclasses import field

from . import setup
from .layout import BANKS
from .layout import SERVICES
from .layout import Layout
from .setup import Party
from .setup import bin_path

HEALTH = "/healthz"
BROKER_HEALTH = "/readyz"  # the broker answers and its database does (idp/ops/health.py)


@dataclass(frozen=True)
class Selection:
    """Which parties come up, how the broker is started, and the caller's settings by kind."""

    banks: tuple[str, ...] = tuple(bank for bank, _ in BANKS)
    issuer: bool = True
    reader: bool = True
    services: tuple[str, ...] = tuple(service for service, _ in SERVICES)
    broker: tuple[str, ...] = ()  # `silta` arguments: () is the demo broker, ("serve",) a node
    nodes: tuple[str, ...] = ("broker",)  # broker processes; a layout port for each
    demo: bool = True  # debug mode for the broker: secrets and signing keys made and kept
    env: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # by kind, set last

    def settings(self, kind: str) -> dict[str, str]:
        return dict(self.env.get(kind, {}))


@dataclass
class Plan:
    """The processes to start and what setting them up produced."""

    parties: list[Party]
    secrets: dict[str, str]  # the card authority's demo secrets ({} without the authority)


def plan(layout: Layout, selection: Selection) -> Plan:
    """Set every chosen party up; their processes and the authority's secrets."""
    banks = [i for i, (bank, _) in enumerate(BANKS) if bank in selection.banks]
    services = [i for i, (service, _) in enumerate(SERVICES) if service in selection.services]
    base = setup.clean_env()
    broker = broker_env(layout, selection, base)
    issuer = {**setup.issuer_env(layout), **selection.settings("issuer")}
    steps: list[Callable[[], dict[str, str] | None]] = []
    if banks:
        steps.append(lambda: setup.federate_banks(layout, dict(broker), banks))
    if selection.issuer:
        steps.append(lambda: setup.init_issuer(issuer))
    if services:
        steps.append(lambda: clients_file(layout, services))
    with ThreadPoolExecutor(max_workers=3) as pool:  # each step runs a party's own command
        for done in [pool.submit(step) for step in steps]:
            broker.update(done.result() or {})  # what a step adds
    secrets = setup.issuer_secrets(layout) if selection.issuer else {}
    if selection.issuer:
        broker.update({**card_settings(layout, secrets), **selection.settings("broker")})
    parties = [node(layout, selection, broker, name) for name in selection.nodes]
    parties += [bank(layout, selection, base, i) for i in banks]
    if selection.issuer:
        command = [bin_path("silta-card"), "issuer", "run", "--demo"]
        url, folder = layout.issuer_url, str(layout.issuer_dir)
        parties.append(Party("issuer", "card issuer", command, issuer, url + HEALTH, url, folder))
    if selection.reader:
        parties.append(reader(layout, selection, base))
    parties += [service(layout, selection, base, i) for i in services]
    return Plan(parties, secrets)


def broker_env(layout: Layout, selection: Selection, base: dict[str, str]) -> dict[str, str]:
    """The settings every broker node shares (SILTA_*)."""
    folder = layout.folder("broker")
    folder.mkdir(parents=True, exist_ok=True)
    return {
        **base,
        **({"SILTA_DEBUG": "1"} if selection.demo else {}),
        "SILTA_INSTANCE_PATH": str(folder),
        "SILTA_ISSUER": layout.broker_url,
        "SILTA_HOST": layout.host,
        "SILTA_BANKS_FILE": str(folder / "banks.toml"),
        "SILTA_FEDERATION_KEYS_FILE": str(folder / "federation-keys.json"),
        **selection.settings("broker"),
    }


def clients_file(layout: Layout, services: list[int]) -> dict[str, str]:
    path = setup.service_registrations(layout, services)
    return {"SILTA_CLIENTS_FILE": str(path)} if path else {}


def card_settings(layout: Layout, secrets: dict[str, str]) -> dict[str, str]:
    """The broker's settings toward the card authority and the citizen's reader bridge."""
    return {
        "SILTA_CARD_ISSUER_URL": layout.issuer_url,
        "SILTA_CARD_READER_URL": layout.reader_url,
        "SILTA_CARD_TRUSTED_CA_FILE": str(layout.issuer_dir / "ca" / "issuing-ca.crt.pem"),
        "SILTA_CARD_VERIFIER_ID": setup.BROKER_VERIFIER,
        "SILTA_CARD_VERIFIER_SECRET": secrets["BROKER_API_KEY"],
    }


def node(layout: Layout, selection: Selection, env: dict[str, str], name: str) -> Party:
    """One broker process on its own port; several share the database behind one issuer URL."""
    port = layout.port_of(name)
    own = {"SILTA_PORT": str(port)}
    if len(selection.nodes) > 1:
        own |= {"SILTA_NODE_NAME": name, "SILTA_INSTANCE_PATH": str(layout.folder(name))}
    command = [bin_path("silta"), *selection.broker]
    url = f"http://{layout.host}:{port}"
    title = "Silta broker" if name == "broker" else f"Silta broker node {name}"
    merged = {**env, **own, **selection.settings(name)}
    folder = merged["SILTA_INSTANCE_PATH"]
    return Party(name, title, command, merged, url + BROKER_HEALTH, layout.broker_url, folder)


def bank(layout: Layout, selection: Selection, base: dict[str, str], index: int) -> Party:
    """One mock bank (`silta-bank run --demo`: its demo pages, its customers seeded)."""
    bank_id, title = BANKS[index]
    env = {
        **base,
        "BANK_ID": bank_id,
        "BANK_INSTANCE_PATH": str(layout.folder(f"bank-{bank_id}")),
        "BANK_ISSUER": layout.bank_url(index),
        "BANK_HOST": layout.host,
        "BANK_PORT": str(layout.port_of(bank_id)),
        "BANK_CLIENTS_FILE": str(setup.bank_clients_file(layout)),
        **selection.settings("bank"),
    }
    command = [bin_path("silta-bank"), "run", "--bank", bank_id, "--demo"]
    health = f"http://{layout.host}:{layout.port_of(bank_id)}{HEALTH}"
    url, folder = layout.bank_url(index), env["BANK_INSTANCE_PATH"]
    return Party(bank_id, title, command, env, health, url, folder)


def reader(layout: Layout, selection: Selection, base: dict[str, str]) -> Party:
    """The citizen's card reader bridge, on the authority's demo token folder."""
    env = {
        **base,
        "READER_INSTANCE_PATH": str(layout.folder("card-reader")),
        "READER_ISSUER_INSTANCE_PATH": str(layout.issuer_dir),
        "READER_ISSUER_URL": layout.issuer_url,
        "READER_ALLOWED_ORIGINS": layout.broker_url,
        "READER_HOST": layout.host,
        "READER_PORT": str(layout.port_of("reader")),
        "READER_DEBUG": "1",  # as `--demo`: the demo authority's cards and its key for the bridge
        **selection.settings("reader"),
    }
    port = str(layout.port_of("reader"))
    command = [bin_path("silta-card"), "reader", "run", "--port", port, "--demo"]
    url, folder = layout.reader_url, env["READER_INSTANCE_PATH"]
    return Party("reader", "card reader bridge", command, env, url + HEALTH, url, folder)


def service(layout: Layout, selection: Selection, base: dict[str, str], index: int) -> Party:
    """One demo service (relying party) process."""
    name, url = SERVICES[index][0], layout.service_url(index)
    peers = ",".join(f"{s}={layout.service_url(i)}" for i, (s, _) in enumerate(SERVICES))
    command = [bin_path("silta-rp"), "run", "--service", name]
    command += ["--port", str(layout.port_of(name)), "--broker", layout.broker_url]
    folder = str(layout.folder(f"service-{name}"))
    command += ["--instance", folder, "--demo"]
    env = {**base, "RP_HOST": layout.host, "RP_BASE_URL": url, "RP_PEER_URLS": peers}
    env |= selection.settings("service")
    return Party(name, SERVICES[index][1], command, env, url + HEALTH, url, folder)
