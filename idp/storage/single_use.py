"""Single-use rows of a login: a pushed request, a bank login's state, a card challenge.

Each is spent by one conditional update, so two nodes racing with the same value cannot both
accept it; the caller commits.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from .models import CardChallenge
from .models import PushedRequest
from .models import UpstreamLogin
from .models import now
from .transaction import db
from .transaction import rows_changed


def spend_pushed_request(uri_hash: str, client_id: str) -> bool:
    """RFC 9126 §2.2: a request_uri is used once, by the client that pushed it, while live."""
    return _spent(
        sa.update(PushedRequest)
        .where(
            PushedRequest.uri_hash == uri_hash,
            PushedRequest.client_id == client_id,
            PushedRequest.used_at.is_(None),
            PushedRequest.expires_at > now(),
        )
        .values(used_at=now())
    )


def spend_upstream_login(state: str, method: str, interaction_uid: str) -> bool:
    """An upstream login's state is used once, by the method and interaction it belongs to."""
    return _spent(
        sa.update(UpstreamLogin)
        .where(
            UpstreamLogin.state == state,
            UpstreamLogin.method == method,
            UpstreamLogin.interaction_uid == interaction_uid,
            UpstreamLogin.used_at.is_(None),
            UpstreamLogin.expires_at > now(),
        )
        .values(used_at=now())
    )


def spend_card_challenge(challenge: str, interaction_uid: str) -> bool:
    """A card challenge is used once, for its own interaction, while live."""
    return _spent(
        sa.update(CardChallenge)
        .where(
            CardChallenge.challenge == challenge,
            CardChallenge.interaction_uid == interaction_uid,
            CardChallenge.used_at.is_(None),
            CardChallenge.expires_at > now(),
        )
        .values(used_at=now())
    )


def card_challenges_issued(interaction_uid: str) -> int:
    """How many challenges an interaction has asked for."""
    statement = (
        sa.select(sa.func.count())
        .select_from(CardChallenge)
        .where(CardChallenge.interaction_uid == interaction_uid)
    )
    return int(db.session.execute(statement).scalar_one())


def _spent(statement: Any) -> bool:
    return rows_changed(statement) == 1
