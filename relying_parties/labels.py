"""What a service's pages call things: claims, assurance levels, its peers, an application."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .benefits import DECIDED
from .benefits import RECEIVED
from .services import level

CLAIMS = {
    "sub": _l("Your identifier at this service"),
    "acr": _l("Level of assurance"),
    "amr": _l("Methods used"),
    "auth_time": _l("Identified at"),
    "given_name": _l("Given name"),
    "family_name": _l("Family name"),
    "name": _l("Name"),
    "birthdate": _l("Date of birth"),
    "urn:oid:1.2.246.21": _l("Personal identity code"),
    "age_over_18": _l("Over 18"),
}
LEVELS = {0: _l("Unknown"), 2: _l("Substantial"), 3: _l("High")}
INTROS = {
    "tax": _l("See your own tax record."),
    "benefits": _l("Apply for the one-off cash payment. One application per person."),
    "municipal": _l("Resident services of your municipality, including your registered address."),
    "library": _l("Borrow adult titles from the City Library."),
}
PEERS = {
    "tax": _l("Tax Administration: your identifier"),
    "benefits": _l("Benefits Office: your identifier"),
    "municipal": _l("Municipal Resident Services: your identifier"),
    "library": _l("City Library: your identifier"),
}
APPLICATION_STATUS = {RECEIVED: _l("Received, waiting for a decision"), DECIDED: _l("Decided")}


def claim_label(name: str) -> str:
    """A released claim's name for people; the claim's own name when it has none."""
    return str(CLAIMS.get(name, name))


def level_label(acr: str | None) -> str:
    return str(LEVELS[level(acr)])


def service_intro(service_id: str) -> str:
    return str(INTROS[service_id])


def peer_link(service_id: str) -> str:
    return str(PEERS[service_id])


def application_status(status: str) -> str:
    return str(APPLICATION_STATUS[status])


TEMPLATE_GLOBALS = {
    "claim_label": claim_label,
    "level_label": level_label,
    "service_intro": service_intro,
    "peer_link": peer_link,
    "application_status": application_status,
}
