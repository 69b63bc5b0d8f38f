"""The demo's people: ID cards issued through the authority's operator API, and test logins.

Cards are issued as `silta card issue` does (federation/operator_api.py), once per holder: a restart
finds the cards already there. The initial PINs are demo knowledge, printed for the tester;
they stand in for the sealed PIN letters a real authority would post.
"""

from __future__ import annotations

import json
import subprocess

from .layout import BANKS
from .layout import Layout
from .operator_api import IssuerApi
from .setup import OPERATOR
from .setup import bin_path
from .setup import clean_env

# eID numbers of the authority's demo holders (card_mock/issuer/holders.py), the same people
# as the banks' first customers. Aino and Mikko get cards; Juhani has only his bank.
CARD_HOLDERS = (
    ("100000001V", "Aino Virtanen", "1234"),
    ("100000002W", "Mikko Korhonen", "2580"),
    ("100000005A", "Eero Laine", "9876"),
)
LOGINS_PER_BANK = 3


def issue_demo_cards(layout: Layout, operator_secret: str) -> list[dict]:
    """Give each demo card holder one active card (idempotent); the cards with their PINs."""
    api = IssuerApi(layout.issuer_url, OPERATOR, operator_secret)
    active = {c["holder"]: c for c in api.list_cards() if c["status"] == "active"}
    rows = []
    for eid, name, pin in CARD_HOLDERS:
        card = active.get(eid) or api.issue(eid, pin)
        rows.append({"serial": card["serial"], "holder": eid, "name": name, "pin": pin})
    return rows


def bank_logins(layout: Layout) -> list[tuple[str, str, dict]]:
    """Each bank's first customers as the bank's own command lists them: (bank, url, customer)."""
    rows = []
    for i, (bank_id, name) in enumerate(BANKS):
        env = {
            **clean_env(),
            "BANK_INSTANCE_PATH": str(layout.folder(f"bank-{bank_id}")),
            "BANK_ISSUER": layout.bank_url(i),
        }
        listing = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [bin_path("silta-bank"), "customers", "--bank", bank_id, "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        customers = [c for c in json.loads(listing.stdout) if not c["scenario"]]
        rows += [(name, layout.bank_url(i), c) for c in customers[:LOGINS_PER_BANK]]
    return rows
