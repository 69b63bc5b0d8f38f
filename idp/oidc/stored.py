"""The hot path's reads: a code or an access token with its person, in one Core statement each.

The single sign-on round trip reads a code at /token and an access token at /userinfo, each
with the person whose claims it releases. These are read-only facts, so they are fetched as
plain rows by statements built once per process and handed to Authlib as small frozen objects
answering its mixin questions; the ORM (identity map, change tracking) is for rows a request
changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..storage.fast import FastStatement
from ..storage.models import AuthorizationCode
from ..storage.models import CodeAnswers
from ..storage.models import Person
from ..storage.models import Token
from ..storage.models import TokenAnswers
from ..storage.models import now

_PERSON = (Person.uid, Person.national_id, Person.given_name, Person.family_name, Person.birthdate)


@dataclass(frozen=True)
class PersonFacts:
    """The person a release is about: what `sub` and the claims are made from."""

    id: int
    uid: str
    national_id: str | None
    given_name: str | None
    family_name: str | None
    birthdate: str | None

    @classmethod
    def of(cls, row: sa.Row) -> PersonFacts:
        return cls(
            row.person_id, row.uid, row.national_id, row.given_name, row.family_name, row.birthdate
        )


@dataclass(frozen=True)
class StoredCode(CodeAnswers):
    """An authorization code as stored (Authlib's AuthorizationCodeMixin), with its person."""

    id: int
    client_id: str
    person_id: int
    session_sid: str
    consent_id: int | None
    redirect_uri: str
    scope: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    claims: list
    method: str
    acr: str
    amr: list
    auth_time: int
    expires_at: int
    used_at: int | None
    dpop_jkt: str | None
    person: PersonFacts


_CODE_FIELDS = [f for f in StoredCode.__dataclass_fields__ if f != "person"]
_CODE = sa.select(*(AuthorizationCode.__table__.c[f] for f in _CODE_FIELDS), *_PERSON).join(
    Person, Person.id == AuthorizationCode.person_id
)
CODE_BY_HASH = _CODE.where(AuthorizationCode.code_hash == sa.bindparam("code_hash"))

_CODES = AuthorizationCode.__table__
# RFC 6749 §4.1.2 (redeemed once, by an atomic conditional update), §4.1.3 (the client and the
# redirect URI of the request) and RFC 7636 §4.6 (S256 of the verifier equals the challenge):
# a code is spent only by a token request that matches it in all of these, so bad input never
# burns it; the row comes back with its person, the whole redemption one statement. The person
# comes by scalar subqueries because SQLite's RETURNING cannot name a joined table.
REDEEM_MATCHING = FastStatement(
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
        *(_CODES.c[f] for f in _CODE_FIELDS),
        *(
            sa.select(column)
            .where(Person.id == _CODES.c.person_id)
            .scalar_subquery()
            .label(column.key)
            for column in _PERSON
        ),
    )
)


def code_of(row: sa.Row) -> StoredCode:
    return StoredCode(**{f: getattr(row, f) for f in _CODE_FIELDS}, person=PersonFacts.of(row))


def redeem(connection: sa.Connection, **matching: str) -> StoredCode | None:
    """The code redeemed now if one matches code_hash, client_id, redirect_uri, code_challenge."""
    params = {f"m_{name}": value for name, value in matching.items()}
    found = REDEEM_MATCHING.first(connection, dict(params, m_now=now()))
    return code_of(found) if found is not None else None


@dataclass(frozen=True)
class AccessToken(TokenAnswers):
    """An access token as stored (Authlib's TokenMixin, read-only), with its person."""

    id: int
    client_id: str
    scope: str
    claims: list
    method: str
    acr: str
    issued_at: int
    access_expires_at: int
    revoked_at: int | None
    dpop_jkt: str | None
    person: PersonFacts


_TOKEN_FIELDS = [f for f in AccessToken.__dataclass_fields__ if f != "person"]
TOKEN_BY_ACCESS_HASH = FastStatement(
    sa.select(*(Token.__table__.c[f] for f in _TOKEN_FIELDS), Token.person_id, *_PERSON)
    .join(Person, Person.id == Token.person_id)
    .where(Token.access_token_hash == sa.bindparam("access_token_hash"))
)


def access_token_of(row: sa.Row) -> AccessToken:
    return AccessToken(**{f: getattr(row, f) for f in _TOKEN_FIELDS}, person=PersonFacts.of(row))
