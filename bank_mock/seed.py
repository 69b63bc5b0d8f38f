"""Fill a bank's customer register from the demo data; running it again adds only what is new."""

from __future__ import annotations

from flask import current_app

from . import customers
from .customers import Account
from .extensions import db
from .models import Customer
from .passwords import hash_password


def seed(bank_id: str | None = None, count: int = 0) -> int:
    """Store the bank's fixed, scenario and first `count` synthetic customers; return how many
    were new. Needs an app context; the bank defaults to the app's BANK_ID."""
    bank_id = bank_id or current_app.config["BANK_ID"]
    existing = set(db.session.scalars(db.select(Customer.customer_number)))
    new = [a for a in customers.accounts_for(bank_id, count) if a.customer_number not in existing]
    # Synthetic customers share one password, so hash it once: thousands of argon2 hashes would
    # take minutes, and these accounts exist only to be driven by the load simulation.
    shared = {customers.SYNTHETIC_PASSWORD: hash_password(customers.SYNTHETIC_PASSWORD)}
    for account in new:
        db.session.add(_customer(account, shared))
    db.session.commit()
    return len(new)


def _customer(account: Account, shared: dict[str, str]) -> Customer:
    citizen = account.citizen
    return Customer(
        customer_number=account.customer_number,
        password_hash=shared.get(account.password) or hash_password(account.password),
        totp_secret=customers.totp_secret(account.bank_id, account.customer_number),
        subject=customers.subject_for(account.bank_id, account.customer_number),
        given_name=citizen.given_name,
        family_name=citizen.family_name,
        birthdate=citizen.birthdate.isoformat(),
        hetu=citizen.hetu,
        scenario=account.scenario,
        failed_attempts=0,
    )
