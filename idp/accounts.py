"""From a method's neutral AuthnResult to a Person, and from a Person to a service's `sub`."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import current_app

from .authenticators.base import AuthnResult
from .extensions import db
from .hashing import new_secret
from .storage import people
from .storage.models import Client
from .storage.models import ExternalIdentity
from .storage.models import Person
from .storage.models import PersonFacts

# Verified attributes a method may report, and the Person field each one fills.
ATTRIBUTES = ("national_id", "given_name", "family_name", "birthdate")


def link(result: AuthnResult) -> Person:
    """Find or create the person a result names; refresh their verified attributes.

    The external identity (method, issuer, subject) is the first key. A method seen for the
    first time is linked by the national identity number it verified, so one citizen with
    accounts in two banks is one person. The caller commits.
    """
    identity = people.identity(result.method, result.issuer, result.subject)
    person = db.session.get(Person, identity.person_id) if identity else None
    national_id = result.attributes.get("national_id")
    if person is None and national_id:
        person = people.by_national_id(national_id)
    if person is None:
        person = Person(uid=new_secret(24))
        db.session.add(person)
        db.session.flush()
    if identity is None:
        db.session.add(
            ExternalIdentity(
                method=result.method,
                issuer=result.issuer,
                subject=result.subject,
                person_id=person.id,
            )
        )
    for name in ATTRIBUTES:
        if result.attributes.get(name):
            setattr(person, name, result.attributes[name])
    return person


def subject_for(person: PersonFacts, client: Client) -> str:
    """The `sub` a service sees (OIDC Core §8).

    Pairwise by default: HMAC-SHA-256 keyed with PAIRWISE_SECRET over the sector identifier and
    the person's random uid, so services of different sectors cannot join their records. A
    client registered as `public` sees the uid itself.
    """
    if client.subject_type == "public":
        return person.uid
    key = current_app.config["PAIRWISE_SECRET"].encode()
    mac = hmac.new(key, f"{client.sector_identifier}|{person.uid}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode()
