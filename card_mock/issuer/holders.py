"""The holder register: demo holders, look-ups and the attributes verifiers receive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
    known = set(db.session.scalars(sa.select(Holder.eid)))
    added = 0
    for person in DEMO_HOLDERS:
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
