"""Login sessions: the live one behind a browser's cookie, with its person, in one statement."""

from __future__ import annotations

from typing import NamedTuple
from typing import cast

import sqlalchemy as sa

from .fast import FastStatement
from .models import PERSON_COLUMNS
from .models import LiveSession
from .models import LoginSession
from .models import Person
from .models import PersonFacts
from .models import now
from .transaction import connection

_SESSIONS = cast(sa.Table, LoginSession.__table__)
_FIELDS = list(LiveSession.__dataclass_fields__)


class _SessionAndPerson(NamedTuple):
    id: int
    sid: str
    person_id: int
    method: str
    acr: str
    amr: list[str]
    auth_time: int
    expires_at: int
    uid: str
    national_id: str | None
    given_name: str | None
    family_name: str | None
    birthdate: str | None


# Every request with a session cookie reads it, single sign-on above all: the live session and
# its person in one Core statement, built once per process.
_LIVE_BY_TOKEN = FastStatement(
    sa.select(*(_SESSIONS.c[f] for f in _FIELDS), *PERSON_COLUMNS)
    .join(Person, Person.id == _SESSIONS.c.person_id)
    .where(
        _SESSIONS.c.token_hash == sa.bindparam("token_hash"),
        _SESSIONS.c.ended_at.is_(None),
        _SESSIONS.c.expires_at > sa.bindparam("now"),
    ),
    shape=_SessionAndPerson,
)


def live(token_hash: str) -> tuple[LiveSession, PersonFacts] | None:
    """The live (not ended, not expired) session a cookie's token names, and its person."""
    found = _LIVE_BY_TOKEN.first(connection(), {"token_hash": token_hash, "now": now()})
    return (LiveSession.of(found), PersonFacts.of(found)) if found is not None else None
