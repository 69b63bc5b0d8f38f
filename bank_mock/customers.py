"""The demo customer register as data: fixed citizens, scenario customers, synthetic citizens.

Everything here is deterministic, so every bank process, test and demo run sees the same
people with the same codes. Secrets derive from a fixed, public demo seed: these are test
identities whose passwords and key codes are printed on purpose (`silta-bank customers`).
"""

from __future__ import annotations

import hashlib
import hmac
import random
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from . import hetu
from .banks import BANKS

DEMO_SEED = b"silta-bank-demo-seed-2024"
BANK_PREFIX = {"aurora": "1", "kide": "2", "revontuli": "3"}  # first digit of customer numbers
SYNTHETIC_PASSWORD = "synthetic-demo"


@dataclass(frozen=True)
class Citizen:
    """A person: the same HETU and name at every bank where they hold an account."""

    given_name: str
    family_name: str
    birthdate: date
    individual: int  # 900–999: the range reserved for test codes
    sign: str | None = None  # century sign; None means the classic one (- or A)

    @property
    def hetu(self) -> str:
        return hetu.generate(self.birthdate, self.individual, self.sign)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Account:
    """One customer relationship: a citizen at a bank, with their login details."""

    bank_id: str
    customer_number: str
    password: str
    citizen: Citizen
    scenario: str | None = None  # a per-customer failure scenario (scenarios.py)


def _c(given: str, family: str, born: str, individual: int, sign: str | None = None) -> Citizen:
    return Citizen(given, family, date.fromisoformat(born), individual, sign)


# Twelve citizens; Aino, Juhani and Siiri bank at two banks. Siiri and Venla carry the
# century signs added in 2023 (Y for the 1900s, B for the 2000s).
AINO = _c("Aino", "Virtanen", "1970-01-01", 999)  # 010170-999R
MIKKO = _c("Mikko", "Korhonen", "1970-07-07", 905)  # 070770-905D
HELMI = _c("Helmi", "Nieminen", "2004-03-15", 912)
JUHANI = _c("Juhani", "Mäkinen", "1952-11-30", 921)
SIIRI = _c("Siiri", "Hämäläinen", "1999-05-21", 934, "Y")
EERO = _c("Eero", "Laine", "1963-09-02", 947)
VENLA = _c("Venla", "Heikkinen", "2007-12-24", 918, "B")
ONNI = _c("Onni", "Koskinen", "1991-02-28", 926, "X")
KERTTU = _c("Kerttu", "Järvinen", "1938-06-11", 903)
ILMARI = _c("Ilmari", "Lehtonen", "1978-10-10", 940)
LUMI = _c("Lumi", "Saarinen", "2001-08-05", 915)
VAINO = _c("Väinö", "Salminen", "1946-04-01", 909)
# Scenario customers: each logs in normally, then meets the failure named beside them.
SCENARIO_CITIZENS = {
    "access_denied": _c("Tyyne", "Kieltonen", "1981-05-05", 990),
    "bad_signature": _c("Urho", "Allekirjoittaja", "1975-03-03", 991),
    "wrong_nonce": _c("Impi", "Noncenen", "1988-08-08", 992),
    "expired_id_token": _c("Veikko", "Vanhanen", "1960-12-12", 993),
    "wrong_audience": _c("Elli", "Ohilainen", "1995-09-09", 994),
}

_FIXED = {
    "aurora": (
        ("10245731", AINO),
        ("10318264", MIKKO),
        ("10452097", JUHANI),
        ("10563318", VENLA),
        ("10671145", ILMARI),
    ),
    "kide": (
        ("20136528", AINO),
        ("20274413", HELMI),
        ("20381956", SIIRI),
        ("20419370", ONNI),
        ("20527784", VAINO),
    ),
    "revontuli": (
        ("30152846", JUHANI),
        ("30263317", SIIRI),
        ("30374628", EERO),
        ("30485519", KERTTU),
        ("30596402", LUMI),
    ),
}


def _fixed_accounts(bank_id: str) -> list[Account]:
    prefix = BANK_PREFIX[bank_id]
    accounts = [Account(bank_id, n, f"demo{n[-4:]}", c) for n, c in _FIXED[bank_id]]
    for i, (scenario, citizen) in enumerate(SCENARIO_CITIZENS.items()):
        number = f"{prefix}80000{i + 1:02d}"
        accounts.append(Account(bank_id, number, f"demo{number[-4:]}", citizen, scenario))
    return accounts


GIVEN_NAMES = ("Aada", "Eino", "Emma", "Leevi", "Iida", "Oliver", "Linnea", "Toivo", "Ella")
GIVEN_NAMES += ("Aatos", "Sofia", "Veeti", "Pihla", "Lauri", "Enni", "Otto", "Selma", "Akseli")
FAMILY_NAMES = ("Hakala", "Rantanen", "Lindholm", "Manninen", "Turunen", "Kettunen", "Aaltonen")
FAMILY_NAMES += ("Kinnunen", "Miettinen", "Karjalainen", "Peltonen", "Lindqvist", "Seppälä")


def synthetic_citizen(index: int) -> Citizen:
    """The index-th synthetic citizen: the same person whichever bank asks."""
    rng = random.Random(f"silta-synthetic-{index}")  # noqa: S311 - demo data, not secrets
    # 7919 is prime to 29000, so birthdates differ for the first 29000 citizens; 950–989
    # keeps their codes apart from the fixed citizens' individual numbers.
    born = date(1935, 1, 1) + timedelta(days=index * 7919 % 29000)
    return Citizen(rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES), born, 950 + index % 40)


def synthetic_banks(index: int) -> tuple[str, ...]:
    """Where the index-th synthetic citizen banks: one bank, and every fifth a second one."""
    ids = tuple(BANKS)
    first = ids[index % len(ids)]
    return (first, ids[(index + 1) % len(ids)]) if index % 5 == 0 else (first,)


def accounts_for(bank_id: str, count: int = 0) -> list[Account]:
    """The bank's fixed and scenario customers, then its share of the first `count` synthetic."""
    accounts = _fixed_accounts(bank_id)
    for index in range(count):
        if bank_id in synthetic_banks(index):
            number = f"{BANK_PREFIX[bank_id]}9{index:06d}"
            citizen = synthetic_citizen(index)
            accounts.append(Account(bank_id, number, SYNTHETIC_PASSWORD, citizen))
    return accounts


def totp_secret(bank_id: str, customer_number: str) -> bytes:
    """The customer's 20-byte key-code secret (RFC 4226 §4 R6: 160 bits), from the demo seed."""
    return hmac.new(DEMO_SEED, f"totp:{bank_id}:{customer_number}".encode(), "sha1").digest()


def subject_for(bank_id: str, customer_number: str) -> str:
    """The customer's `sub` at this bank: stable, opaque, and different at every bank."""
    mac = hmac.new(DEMO_SEED, f"sub:{bank_id}:{customer_number}".encode(), hashlib.sha256)
    return mac.hexdigest()[:32]
