"""Single-use JWT ids (RFC 7523 §3 item 7, RFC 9101 §10.8), kept in the database."""

from __future__ import annotations

from .extensions import db
from .models import UsedJwtId
from .models import now
from .models import upsert

REQUEST_OBJECT = "request_object"
CLIENT_ASSERTION = "client_assertion"
KEEP_SECONDS = 3600  # kept at least this long, even for a JWT with an earlier exp


def seen(kind: str, client_id: str, jti: str) -> bool:
    """Whether this client's `jti` was already used for this kind of JWT."""
    query = db.select(UsedJwtId.id).filter_by(kind=kind, client_id=client_id, jti=jti)
    return db.session.execute(query).first() is not None


def consume(kind: str, client_id: str, jti: str, exp: int) -> bool:
    """Record the `jti` as used; False if it already was. Atomic: of two racing uses, one wins."""
    statement = (
        upsert(UsedJwtId)
        .values(
            kind=kind,
            client_id=client_id,
            jti=jti,
            expires_at=max(int(exp), now() + KEEP_SECONDS),
        )
        .on_conflict_do_nothing(index_elements=["kind", "client_id", "jti"])
    )
    return db.session.execute(statement).rowcount == 1
