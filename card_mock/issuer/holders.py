"""The holder register: demo and synthetic holders, look-ups and what verifiers receive."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

import sqlalchemy as sa

from .extensions import db
from .identifiers import eid_for
from .identifiers import hetu_birthdate
from .identifiers import hetu_for
from .models import Holder


@dataclass(frozen=True)
class DemoHolder:
    """A demo person: the same names and HETU as at the mock banks, and an eID number."""

    given_name: str
    family_name: str
    birthdate: date
    individual: int  # 900–999: the HETU range reserved for test codes
    eid_number: int

    @property
    def national_id(self) -> str:
        return hetu_for(self.birthdate, self.individual)

    @property
    def eid(self) -> str:
        return eid_for(self.eid_number)


DEMO_HOLDERS = (
    DemoHolder("Aino", "Virtanen", date(1970, 1, 1), 999, 100000001),  # 010170-999R
    DemoHolder("Mikko", "Korhonen", date(1970, 7, 7), 905, 100000002),  # 070770-905D
    DemoHolder("Helmi", "Nieminen", date(2004, 3, 15), 912, 100000003),
    DemoHolder("Juhani", "Mäkinen", date(1952, 11, 30), 921, 100000004),
    DemoHolder("Eero", "Laine", date(1963, 9, 2), 947, 100000005),
    DemoHolder("Kerttu", "Järvinen", date(1938, 6, 11), 903, 100000006),
)


def seed_demo_holders() -> int:
    """Add the demo holders that are missing (idempotent); return how many were added."""
    return seed_holders(DEMO_HOLDERS)


# Synthetic holders: people for load simulations (policy_sim), who need cards of their own.
# eID numbers 900000001…; HETU individual number 902, which no demo person at the banks or here
# has, and one birthdate each from 1940 on, so every HETU differs (and none is in the future).
SYNTHETIC_EID_BASE = 900_000_001
SYNTHETIC_INDIVIDUAL = 902
SYNTHETIC_FIRST_BIRTHDATE = date(1940, 1, 1)
SYNTHETIC_LIMIT = 20_000  # the last birthdate is then in 1994
GIVEN_NAMES = ("Anni", "Ville", "Sanni", "Joel", "Noora", "Elias", "Kaisa", "Arttu", "Maija")
FAMILY_NAMES = ("Korpela", "Halonen", "Nurmi", "Vesterinen", "Rautio", "Hirvonen", "Koivisto")


def synthetic_holder(index: int) -> DemoHolder:
    """The index-th synthetic holder (0-based): always the same person."""
    if not 0 <= index < SYNTHETIC_LIMIT:
        raise ValueError(f"a synthetic holder's index is 0 to {SYNTHETIC_LIMIT - 1}")
    rng = random.Random(f"silta-card-synthetic-{index}")  # noqa: S311 - demo names, not secrets
    return DemoHolder(
        rng.choice(GIVEN_NAMES),
        rng.choice(FAMILY_NAMES),
        SYNTHETIC_FIRST_BIRTHDATE + timedelta(days=index),
        SYNTHETIC_INDIVIDUAL,
        SYNTHETIC_EID_BASE + index,
    )


def seed_holders(people: list[DemoHolder] | tuple[DemoHolder, ...]) -> int:
    """Add the people not yet in the register (idempotent, by eID); return how many were added."""
    known = set(db.session.scalars(sa.select(Holder.eid)))
    added = 0
    for person in people:
        if person.eid in known:
            continue
        db.session.add(
            Holder(
                eid=person.eid,
                national_id=person.national_id,
                given_name=person.given_name,
                family_name=person.family_name,
                birthdate=hetu_birthdate(person.national_id),
            )
        )
        added += 1
    db.session.commit()
    return added


def seed_synthetic_holders(count: int) -> int:
    """Add the first `count` synthetic holders that are missing; return how many were added."""
    return seed_holders([synthetic_holder(i) for i in range(count)])


def load_holder(eid: str) -> Holder | None:
    """The holder with this eID number, or None."""
    return db.session.scalar(sa.select(Holder).filter_by(eid=eid))


def verified_attributes(holder: Holder) -> dict[str, str]:
    """What a registered verifier receives: the attributes the authority has verified."""
    return {
        "eid": holder.eid,
        "national_identity_number": holder.national_id,
        "given_name": holder.given_name,
        "family_name": holder.family_name,
        "birthdate": holder.birthdate.isoformat(),
    }
