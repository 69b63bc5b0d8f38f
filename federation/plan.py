"""The demo's parts: which processes `silta demo` starts, with what command and environment.

A part that is not in this version yet (the reader bridge, the services) is left out with a
notice, so the rest of the federation still comes up.
"""

from __future__ import annotations

from . import setup as demo_setup
from .layout import BANKS
from .layout import SERVICES
from .layout import Layout
from .setup import Component
from .setup import bin_path

HEALTH = "/healthz"


OPTIONAL = {"reader": ("silta-card", "reader", "run"), "services": ("silta-rp", "run")}
OPTIONAL_TITLES = {"reader": "the card reader bridge", "services": "the demo services"}


def optional_parts(without: frozenset[str]) -> tuple[set[str], list[str]]:
    """Which optional parts run, and a notice for each one left out (by choice or absent)."""
    running, notices = set(), []
    for name, argv in OPTIONAL.items():
        if name in without:
            notices.append(f"{OPTIONAL_TITLES[name]} left out (--without {name})")
        elif not demo_setup.has_command(*argv):
            notices.append(f"{OPTIONAL_TITLES[name]} (`{' '.join(argv)}`) is not in this version")
        else:
            running.add(name)
    return running, notices


def plan(
    layout: Layout, without: frozenset[str] = frozenset()
) -> tuple[list[Component], list[str], dict[str, str]]:
    """Set every part up; its processes, notices about parts left out, the authority's secrets."""
    optional, notices = optional_parts(without)
    with_reader = "reader" in optional
    services = list(range(len(SERVICES))) if "services" in optional else []
    keys_path, banks_file, bank_clients = demo_setup.federate_banks(layout)
    trusted_ca = demo_setup.init_issuer(layout)
    secrets = demo_setup.issuer_secrets(layout)
    clients_file = demo_setup.service_registrations(layout, services)
    base = demo_setup.clean_env()
    card = {
        "CARD_ISSUER_URL": layout.issuer_url,
        "CARD_READER_URL": layout.reader_url,
        "CARD_TRUSTED_CA_FILE": str(trusted_ca),
        "CARD_VERIFIER_ID": demo_setup.BROKER_VERIFIER,
        "CARD_VERIFIER_SECRET": secrets["BROKER_API_KEY"],
    }
    broker_env = {
        **base,
        "SILTA_DEBUG": "1",
        "SILTA_INSTANCE_PATH": str(layout.folder("broker")),
        "SILTA_ISSUER": layout.broker_url,
        "SILTA_HOST": layout.host,
        "SILTA_PORT": str(layout.port(8400)),
        "SILTA_BANKS_FILE": str(banks_file),
        "SILTA_FEDERATION_KEYS_FILE": str(keys_path),
        **demo_setup.broker_settings(layout, card),
        **({"SILTA_CLIENTS_FILE": str(clients_file)} if clients_file else {}),
    }
    wellknown = layout.broker_url + "/.well-known/openid-configuration"
    url = layout.broker_url
    parts = [Component("broker", "Silta broker", [bin_path("silta")], broker_env, wellknown, url)]
    for i, (bank_id, name) in enumerate(BANKS):
        env = {
            **base,
            "BANK_ID": bank_id,
            "BANK_INSTANCE_PATH": str(layout.folder(f"bank-{bank_id}")),
            "BANK_ISSUER": layout.bank_url(i),
            "BANK_HOST": layout.host,
            "BANK_PORT": str(layout.port(8411 + i)),
            "BANK_CLIENTS_FILE": str(bank_clients),
        }
        command = [bin_path("silta-bank"), "run", "--bank", bank_id, "--demo"]
        url = layout.bank_url(i)
        parts.append(Component(bank_id, name, command, env, url + HEALTH, url))
    issuer_run = [bin_path("silta-card"), "issuer", "run", "--demo"]
    env, url = demo_setup.issuer_env(layout), layout.issuer_url
    parts.append(Component("issuer", "card issuer", issuer_run, env, url + HEALTH, url))
    if with_reader:
        parts.append(reader(layout, base))
    parts += [service(layout, base, i) for i in services]
    return parts, notices, secrets


def reader(layout: Layout, base: dict[str, str]) -> Component:
    """The citizen's card reader bridge, on the authority's demo token folder."""
    env = {
        **base,
        "READER_INSTANCE_PATH": str(layout.folder("card-reader")),
        "READER_ISSUER_INSTANCE_PATH": str(layout.issuer_dir),
        "READER_ISSUER_URL": layout.issuer_url,
        "READER_ALLOWED_ORIGINS": layout.broker_url,
        "READER_HOST": layout.host,
    }
    command = [bin_path("silta-card"), "reader", "run", "--port", str(layout.port(8421)), "--demo"]
    url = layout.reader_url
    return Component("reader", "card reader bridge", command, env, url + HEALTH, url)


def service(layout: Layout, base: dict[str, str], index: int) -> Component:
    """One demo service (relying party) process."""
    name, url = SERVICES[index][0], layout.service_url(index)
    peers = ",".join(f"{s}={layout.service_url(i)}" for i, (s, _) in enumerate(SERVICES))
    command = [bin_path("silta-rp"), "run", "--service", name]
    command += ["--port", str(layout.port(8431 + index)), "--broker", layout.broker_url]
    command += ["--instance", str(layout.folder(f"service-{name}"))]
    env = {**base, "RP_HOST": layout.host, "RP_BASE_URL": url, "RP_PEER_URLS": peers}
    return Component(name, SERVICES[index][1], [*command, "--demo"], env, url + HEALTH, url)
