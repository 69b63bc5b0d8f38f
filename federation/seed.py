"""The demo's people: ID cards issued through `silta card`, and the banks' test logins.

Cards are issued as an operator issues them, with `silta card issue` against the authority's
operator API, once per holder: a restart finds the cards already there. The initial PINs are
demo knowledge, printed for the tester; they stand in for the sealed PIN letters a real
authority would post.
"""

from __future__ import annotations

import json
from typing import Any

from .layout import BANKS
from .layout import Layout
from .setup import OPERATOR
from .setup import clean_env
from .setup import command

# eID numbers of the authority's demo holders (card_mock/issuer/holders.py), the same people
# as the banks' first customers. Aino and Mikko get cards; Juhani has only his bank.
CARD_HOLDERS = (
    ("100000001V", "Aino Virtanen", "1234"),
    ("100000002W", "Mikko Korhonen", "2580"),
    ("100000005A", "Eero Laine", "9876"),
)
LOGINS_PER_BANK = 3


def operator_env(layout: Layout, operator_secret: str) -> dict[str, str]:
    """The settings `silta card` reads: the authority's URL and the operator's credentials."""
    return {
        **clean_env(),
        "SILTA_CARD_ISSUER_URL": layout.issuer_url,
        "SILTA_CARD_OPERATOR_ID": OPERATOR,
        "SILTA_CARD_OPERATOR_SECRET": operator_secret,
    }


def issue_demo_cards(layout: Layout, operator_secret: str) -> list[dict[str, str]]:
    """Give each demo card holder one active card (idempotent); the cards with their PINs."""
    env = operator_env(layout, operator_secret)
    listed: list[dict[str, Any]] = json.loads(command(["silta", "card", "list", "--json"], env))
    active = {c["holder"]: c for c in listed if c["status"] == "active"}
    rows = []
    for eid, name, pin in CARD_HOLDERS:
        card = active.get(eid) or json.loads(
            command(["silta", "card", "issue", "--holder", eid, "--pin-stdin", "--json"], env, pin)
        )
        rows.append({"serial": str(card["serial"]), "holder": eid, "name": name, "pin": pin})
    return rows


def bank_logins(layout: Layout) -> list[tuple[str, str, dict[str, Any]]]:
    """Each bank's first customers as the bank's own command lists them: (bank, url, customer)."""
    rows = []
    for i, (bank_id, name) in enumerate(BANKS):
        env = {
            **clean_env(),
            "BANK_INSTANCE_PATH": str(layout.folder(f"bank-{bank_id}")),
            "BANK_ISSUER": layout.bank_url(i),
        }
        listing = command(["silta-bank", "customers", "--bank", bank_id, "--json"], env)
        customers = [c for c in json.loads(listing) if not c["scenario"]]
        rows += [(name, layout.bank_url(i), c) for c in customers[:LOGINS_PER_BANK]]
    return rows
