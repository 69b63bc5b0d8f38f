"""Authorization codes: issued, checked for a replayed nonce, redeemed once, read for errors.

RFC 6749 §4.1.2 and RFC 9700 §4.5: a code is redeemed once, by an atomic conditional update,
so of two racing redemptions on any node exactly one changes the row.
"""

from __future__ import annotations

from typing import Any
from typing import cast

import sqlalchemy as sa

from .fast import FastStatement
from .models import PERSON_COLUMNS
from .models import AuthorizationCode
from .models import Person
from .models import PersonFacts
from .models import StoredCode
from .models import now
from .transaction import connection
from .transaction import db

_CODES = cast(sa.Table, AuthorizationCode.__table__)
_FIELDS = [f for f in StoredCode.__dataclass_fields__ if f != "person"]

_INSERT: FastStatement[Any] = FastStatement(sa.insert(_CODES))
# OIDC Core §3.1.2.1 nonce: a value a client used before is refused (ix_code_client_nonce).
_NONCE_SEEN: FastStatement[Any] = FastStatement(
    sa.select(_CODES.c.id)
    .where(_CODES.c.client_id == sa.bindparam("client_id"), _CODES.c.nonce == sa.bindparam("nonce"))
    .limit(1)
)
_BY_HASH: FastStatement[Any] = FastStatement(
    sa.select(*(_CODES.c[f] for f in _FIELDS), *PERSON_COLUMNS)
    .join(Person, Person.id == _CODES.c.person_id)
    .where(_CODES.c.code_hash == sa.bindparam("code_hash"))
)
# RFC 6749 §4.1.2 (redeemed once), §4.1.3 (the client and the redirect URI of the request) and
# RFC 7636 §4.6 (S256 of the verifier equals the challenge): a code is spent only by a token
# request that matches it in all of these, so bad input never burns it; the row comes back with
# its person, the whole redemption one statement. The person comes by scalar subqueries because
# SQLite's RETURNING cannot name a joined table.
_REDEEM: FastStatement[Any] = FastStatement(
    sa.update(_CODES)
    .where(
        _CODES.c.code_hash == sa.bindparam("m_code_hash"),
        _CODES.c.client_id == sa.bindparam("m_client_id"),
        _CODES.c.redirect_uri == sa.bindparam("m_redirect_uri"),
        _CODES.c.code_challenge == sa.bindparam("m_code_challenge"),
        _CODES.c.code_challenge_method == "S256",
        _CODES.c.expires_at > sa.bindparam("m_now"),
        _CODES.c.used_at.is_(None),
    )
    .values(used_at=sa.bindparam("m_now"))
    .returning(
        *(_CODES.c[f] for f in _FIELDS),
        *(
            sa.select(column)
            .where(Person.id == _CODES.c.person_id)
            .scalar_subquery()
            .label(column.key)
            for column in PERSON_COLUMNS
        ),
    )
)
_CLIENTS_OF_SESSION = (
    sa.select(AuthorizationCode.client_id)
    .where(AuthorizationCode.session_sid == sa.bindparam("sid"))
    .distinct()
)


def insert(values: dict[str, Any]) -> None:
    """Store a new code (its hash) in the request's transaction; every column is given."""
    _INSERT.run(connection(), values)


def nonce_seen(client_id: str, nonce: str) -> bool:
    """Whether the client sent this nonce with an earlier code."""
    return _NONCE_SEEN.first(connection(), {"client_id": client_id, "nonce": nonce}) is not None


def redeem(
    *, code_hash: str, client_id: str, redirect_uri: str, code_challenge: str
) -> StoredCode | None:
    """The code, redeemed now, if it is live, unused and matches the token request in all of
    client, redirect URI and PKCE challenge; None otherwise, and nothing changed."""
    params = {
        "m_code_hash": code_hash,
        "m_client_id": client_id,
        "m_redirect_uri": redirect_uri,
        "m_code_challenge": code_challenge,
        "m_now": now(),
    }
    found = _REDEEM.first(connection(), params)
    return _code(found) if found is not None else None


def read(code_hash: str) -> StoredCode | None:
    """The code as stored, used or not (a token request that cannot redeem it learns why)."""
    found = _BY_HASH.first(connection(), {"code_hash": code_hash})
    return _code(found) if found is not None else None


def clients_of_session(sid: str) -> list[str]:
    """The clients that got a code in a login session."""
    return list(db.session.execute(_CLIENTS_OF_SESSION, {"sid": sid}).scalars())


def _code(row: Any) -> StoredCode:
    return StoredCode(**{f: getattr(row, f) for f in _FIELDS}, person=PersonFacts.of(row))
