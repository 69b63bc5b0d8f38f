"""Municipal resident services: the registered address, changed only at high assurance.

A change needs a login at the service's `step_up_acr` (the ID card) no older than
`step_up_max_age`. Without one, the service starts a step-up: a new authorization request
with `acr_values` high, `max_age`, and the current ID token as `id_token_hint` so the broker
keeps to the same citizen. The answer is accepted only if its `acr` is high and its `sub` is
the one this session already holds (OIDC Core §3.1.3.7 item 12; §2 on `sub`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from flask import session
from flask_babel import lazy_gettext as _l

from silta_common.i18n import select_locale

from . import login
from .errors import NotLoggedIn
from .errors import StepUpRefused
from .extensions import db
from .models import ResidentAddress
from .pages import current_login
from .pages import current_service
from .services import level
from .sessions import LOGIN

POSTAL_CODE = re.compile(r"^[0-9]{5}$")  # Finnish postal codes: five digits


@dataclass(frozen=True)
class AddressForm:
    street: str
    postal_code: str
    city: str

    def errors(self) -> dict[str, str]:
        """Field → what is wrong with it, for people."""
        found = {}
        if not 1 <= len(self.street) <= 200:
            found["street"] = _l("Enter a street address of at most 200 characters.")
        if not POSTAL_CODE.match(self.postal_code):
            found["postal_code"] = _l("Enter a postal code of five digits, for example 00100.")
        if not 1 <= len(self.city) <= 100:
            found["city"] = _l("Enter a municipality of at most 100 characters.")
        return found


def may_change_address(held: dict) -> bool:
    """High assurance, reached recently enough for a change of the register."""
    service = current_service()
    recent = (held.get("auth_time") or 0) + service.step_up_max_age >= time.time()
    return level(held.get("acr")) >= level(service.step_up_acr) and recent


def start_step_up() -> str:
    """The authorization URL of a step-up login for the citizen this session holds."""
    held = current_login()
    if held is None:
        raise NotLoggedIn()
    service = current_service()
    return login.start(
        login.STEP_UP_PURPOSE,
        acr_values=service.step_up_acr,
        locale=select_locale(),
        max_age=service.step_up_max_age,
        id_token_hint=held["id_token"],
        expected_sub=held["sub"],
    )


def complete_step_up(result: login.Login) -> None:
    """Accept a step-up login only at the level asked and for the same person."""
    held = current_login()
    service = current_service()
    # The broker replaces its session when the citizen logs in again, and its back-channel
    # logout may end this session's login meanwhile: the person is then the one the step-up
    # was started for, remembered with its state.
    expected = result.expected_sub
    if expected is None or (held is not None and held["sub"] != expected):
        raise StepUpRefused("no_session")
    if level(result.claims.get("acr")) < level(service.step_up_acr):
        raise StepUpRefused("acr_too_low")
    if result.claims.get("sub") != expected:
        raise StepUpRefused("another_person")
    session.rotate()  # a change of privilege gets a new session key, as a login does
    session[LOGIN] = login.record(result)


def registered_address(sub: str) -> ResidentAddress | None:
    return db.session.get(ResidentAddress, sub)


def change_address(held: dict, form: AddressForm) -> ResidentAddress:
    """Store the new address; the caller has checked `may_change_address` and the form."""
    if not may_change_address(held):
        raise StepUpRefused("acr_too_low")
    row = registered_address(held["sub"]) or ResidentAddress(sub=held["sub"])
    row.street, row.postal_code, row.city = form.street, form.postal_code, form.city
    row.changed_at, row.changed_with_acr = int(time.time()), held["acr"]
    db.session.add(row)
    db.session.commit()
    return row
