"""Bank credentials for synthetic citizens: the demo banks' customers and their key codes.

The banks publish their demo customers through their own command line (`silta-bank customers
--json --count N`, with each customer's RFC 6238 seed in base32 as authenticator apps take it)
or a JSON file of that output. The simulation takes them from there, never from the banks'
code, and computes one-time codes the way a phone app does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import shutil
import struct
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

STEP_SECONDS = 30  # RFC 6238 §4.1 X
DIGITS = 6


class AccountsError(RuntimeError):
    """Not enough demo customers, or the list could not be read."""


@dataclass(frozen=True)
class BankAccount:
    bank: str
    customer_number: str
    password: str
    totp_secret: str  # base32, no padding
    person: str  # the person's identity number: one person may bank at several banks

    def key_code(self, at: float | None = None) -> str:
        """RFC 6238 TOTP (HMAC-SHA-1, 30 s, 6 digits) over RFC 4226 §5.3 truncation."""
        secret = base64.b32decode(self.totp_secret + "=" * (-len(self.totp_secret) % 8))
        counter = int((time.time() if at is None else at) // STEP_SECONDS)
        mac = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
        offset = mac[-1] & 0x0F
        value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
        return f"{value % 10**DIGITS:0{DIGITS}d}"


@dataclass(frozen=True)
class IdCard:
    """A card in the reader bridge's token folder, its PIN as issued, and its holder."""

    serial: str
    pin: str
    person: str  # the holder's national identity number


def cards_from_file(path: Path) -> list[IdCard]:
    """A JSON list of {"serial", "pin", "person"}: the cards the demo issued with known PINs."""
    try:
        rows = json.loads(Path(path).read_text())
        return [IdCard(str(r["serial"]), str(r["pin"]), str(r["person"])) for r in rows]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AccountsError(
            f"{path}: not a list of cards with serial, pin, person ({error})"
        ) from None


def from_rows(bank: str, rows: list[dict]) -> list[BankAccount]:
    """Accounts from `silta-bank customers --json` rows; scenario customers are left out."""
    try:
        return [
            BankAccount(bank, r["customer_number"], r["password"], r["totp_secret"], r["hetu"])
            for r in rows
            if not r.get("scenario")
        ]
    except (KeyError, TypeError) as error:
        raise AccountsError(f"{bank}: a customer row lacks {error}") from None


def from_command(bank: str, count: int) -> list[BankAccount]:
    """Ask the bank's own command line for its customers, including `count` synthetic ones."""
    command = shutil.which("silta-bank") or str(Path(sys.executable).with_name("silta-bank"))
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from our own options
            [command, "customers", "--bank", bank, "--json", "--count", str(count)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise AccountsError(f"could not list {bank}'s customers with silta-bank: {error}") from None
    return from_rows(bank, json.loads(done.stdout))


def from_file(path: Path) -> dict[str, list[BankAccount]]:
    """A JSON file {"<bank>": [customer rows as `silta-bank customers --json` prints them]}."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise AccountsError(f"{path}: {error}") from None
    if not isinstance(data, dict):
        raise AccountsError(f"{path}: expected an object of bank id → customer list")
    return {bank: from_rows(bank, rows) for bank, rows in data.items()}


class AccountPool:
    """Hands out each person (bank account or card holder) at most once per run, so no two
    simulated citizens share a consent or an application; each scenario takes its own slice."""

    def __init__(
        self, accounts: dict[str, list[BankAccount]], cards: list[IdCard] | None = None
    ) -> None:
        self.accounts = accounts
        self.cards = cards or []
        self.used: set[str] = set()

    def take_card(self) -> IdCard:
        for card in self.cards:
            if card.person not in self.used:
                self.used.add(card.person)
                return card
        raise AccountsError(
            "no unused ID card left in the reader bridge: issue more demo cards with known PINs "
            "and list them in the --cards file"
        )

    def take(self, bank: str) -> BankAccount:
        for account in self.accounts.get(bank, []):
            if account.person not in self.used:
                self.used.add(account.person)
                return account
        raise AccountsError(
            f"no unused demo customer left at {bank}: seed more synthetic customers "
            f"(silta-bank seed --bank {bank} --count N) and pass a larger --bank-customers count"
        )
