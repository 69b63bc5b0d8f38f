"""Consent grants: remembered, re-asked when a service asks for more, revocable."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ..audit import events
from ..extensions import db
from ..oidc.claims import AGE_OVER_18
from ..oidc.claims import NATIONAL_ID
from ..storage import consents
from ..storage import tokens
from ..storage import transaction
from ..storage.models import ConsentGrant
from ..storage.models import now

# Each claim in plain words, as the consent page and the release log show it.
CLAIM_LABELS = {
    "given_name": _l("Your first names"),
    "family_name": _l("Your family name"),
    "name": _l("Your full name"),
    "birthdate": _l("Your date of birth"),
    NATIONAL_ID: _l("Your personal identity code"),
    AGE_OVER_18: _l("Whether you are 18 or older (yes or no, not your age)"),
}


def label(claim: str) -> str:
    return str(CLAIM_LABELS.get(claim, claim))


@dataclass(frozen=True)
class ClaimChoice:
    name: str
    label: str
    essential: bool


def choices(essential: frozenset[str], voluntary: frozenset[str]) -> list[ClaimChoice]:
    """The consent page's rows: essential first, then voluntary, each in catalogue order."""
    order = list(CLAIM_LABELS)
    rank = {name: i for i, name in enumerate(order)}
    rows = [ClaimChoice(n, label(n), True) for n in essential]
    rows += [ClaimChoice(n, label(n), False) for n in voluntary]
    return sorted(rows, key=lambda r: (not r.essential, rank.get(r.name, len(order)), r.name))


def decide(
    person_id: int,
    client_id: str,
    *,
    essential: frozenset[str],
    voluntary: frozenset[str],
    chosen: set[str],
    remember: bool,
) -> tuple[list[str], int | None]:
    """Record the citizen's choice; return the claims to release and the grant id if remembered.

    Essential claims cannot be unticked; a voluntary claim is released only if ticked. The
    caller commits.
    """
    granted = sorted(essential | (voluntary & chosen))
    grant_id = None
    if remember:
        previous = consents.active(person_id, client_id)
        if previous is not None:
            previous.revoked_at = now()  # superseded, not withdrawn: tokens stay valid
        grant = ConsentGrant(
            person_id=person_id,
            client_id=client_id,
            requested=sorted(essential | voluntary),
            granted=granted,
        )
        db.session.add(grant)
        db.session.flush()
        grant_id = grant.id
    events.emit_on_success(
        events.CONSENT_GRANTED,
        person_id=person_id,
        client_id=client_id,
        claims=granted,
        remembered=remember,
    )
    return granted, grant_id


def grants_of(person_id: int) -> list[ConsentGrant]:
    return consents.of_person(person_id)


def revoke(person_id: int, grant_id: int) -> bool:
    """Withdraw a consent and every token the service holds for this person; commits."""
    grant = db.session.get(ConsentGrant, grant_id)
    if grant is None or grant.person_id != person_id or grant.revoked_at is not None:
        return False
    grant.revoked_at = now()
    revoked = tokens.revoke_of_service(person_id, grant.client_id)
    transaction.commit()
    events.emit(
        events.CONSENT_REVOKED,
        person_id=person_id,
        client_id=grant.client_id,
        tokens_revoked=revoked,
    )
    return True
