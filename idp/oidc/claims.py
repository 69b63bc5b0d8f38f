"""Which claims a request asks for, which a service may receive, and their values.

OIDC Core §5.4: claims asked for through scopes are voluntary. §5.5: the ``claims`` request
parameter may mark a claim essential. A claim outside the client's registration is never
offered (§5.5.1: the OP may ignore what it will not release).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

NATIONAL_ID = "urn:oid:1.2.246.21"  # Finnish personal identity code (FTN profile)
AGE_OVER_18 = "age_over_18"

SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "profile": ("given_name", "family_name", "name", "birthdate"),
    "national_id": (NATIONAL_ID,),
    "age": (AGE_OVER_18,),
}
SCOPES_SUPPORTED = ["openid", *SCOPE_CLAIMS]
CLAIMS_SUPPORTED = sorted({c for claims in SCOPE_CLAIMS.values() for c in claims})
# Claims about the authentication itself, answered from the session rather than released data.
AUTHENTICATION_CLAIMS = {"sub", "acr", "amr", "auth_time", "sid", "nonce", "iss", "aud"}


class ClaimsParameterError(ValueError):
    """The ``claims`` request parameter is not the JSON object §5.5 describes."""


@dataclass(frozen=True)
class ClaimsRequest:
    essential: frozenset[str]
    voluntary: frozenset[str]
    acr_values: tuple[str, ...] = ()  # from {"acr": {"essential": true, "values": [...]}}

    @property
    def all(self) -> frozenset[str]:
        return self.essential | self.voluntary


def parse_claims_parameter(raw: str | None) -> dict:
    """Parse and shape-check the ``claims`` parameter (OIDC Core §5.5)."""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        raise ClaimsParameterError("The 'claims' parameter is not valid JSON.") from None
    if not isinstance(value, dict) or set(value) - {"id_token", "userinfo"}:
        raise ClaimsParameterError(
            "The 'claims' parameter must be an object with 'id_token' and/or 'userinfo' members."
        )
    for member in value.values():
        if not isinstance(member, dict):
            raise ClaimsParameterError("Each member of 'claims' must be an object.")
        for spec in member.values():
            if spec is not None and not isinstance(spec, dict):
                raise ClaimsParameterError("Each requested claim must be null or an object.")
            if spec and "values" in spec and not isinstance(spec["values"], list):
                raise ClaimsParameterError("'values' in a requested claim must be an array.")
    return value


def requested_claims(scope: str, claims_parameter: dict, allowed: list[str]) -> ClaimsRequest:
    """The data claims a request asks for, limited to what the client is registered for."""
    permitted = set(allowed)
    voluntary = {c for s in scope.split() for c in SCOPE_CLAIMS.get(s, ())}
    essential: set[str] = set()
    acr_values: list[str] = []
    for member in claims_parameter.values():
        for name, spec in member.items():
            if name == "acr" and spec and spec.get("essential"):
                acr_values += spec.get("values") or ([spec["value"]] if "value" in spec else [])
            if name in AUTHENTICATION_CLAIMS:
                continue
            (essential if spec and spec.get("essential") else voluntary).add(name)
    essential &= permitted
    return ClaimsRequest(
        frozenset(essential), frozenset((voluntary & permitted) - essential), tuple(acr_values)
    )


def claim_values(person, names, today: datetime.date | None = None) -> dict:
    """The values of the named claims for a person; a claim without a value is left out."""
    today = today or datetime.date.today()
    values = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "name": " ".join(p for p in (person.given_name, person.family_name) if p) or None,
        "birthdate": person.birthdate,
        NATIONAL_ID: person.national_id,
        AGE_OVER_18: _age_over_18(person.birthdate, today),
    }
    return {name: values[name] for name in sorted(names) if values.get(name) is not None}


def _age_over_18(birthdate: str | None, today: datetime.date) -> bool | None:
    if not birthdate:
        return None
    born = datetime.date.fromisoformat(birthdate)
    try:
        adult_on = born.replace(year=born.year + 18)
    except ValueError:  # born on 29 February: adult on 1 March
        adult_on = datetime.date(born.year + 18, 3, 1)
    return today >= adult_on
