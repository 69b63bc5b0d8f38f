"""A demo service's settings file (`settings/<service>.toml`): loaded once, checked, typed.

The file says what the service is (names, why it needs data), what it asks the broker for
(scopes, essential claims, level of assurance) and which client profile it uses. Everything
about where it runs (ports, URLs, folders) is configuration instead (config.py).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from silta_common.i18n import LOCALES

SETTINGS_DIR = Path(__file__).resolve().parent / "settings"
SERVICES = ("tax", "benefits", "municipal", "library")
AUTH_METHODS = ("client_secret_basic", "private_key_jwt")
REQUEST_OBJECT_MODES = ("none", "value", "par")  # RFC 9101 by value; RFC 9126 pushed
# The four levels the broker knows (docs/relying-party-guide.md, "Levels of assurance").
ACR_LEVELS = {
    "http://ftn.ficora.fi/2017/loa2": 2,
    "http://eidas.europa.eu/LoA/substantial": 2,
    "http://ftn.ficora.fi/2017/loa3": 3,
    "http://eidas.europa.eu/LoA/high": 3,
}


class SettingsError(ValueError):
    """A settings file the service cannot run with; the message names the key."""


@dataclass(frozen=True)
class Service:
    id: str
    client_id: str
    port: int
    sector_identifier: str
    scope: tuple[str, ...]
    allowed_claims: tuple[str, ...]
    essential_claims: tuple[str, ...]
    national_id_entitled: bool
    acr_values: str
    required_acr: str | None
    token_endpoint_auth_method: str
    request_object: str
    encrypted_id_token: bool
    userinfo: bool
    name: dict[str, str]
    need: dict[str, str]
    decision_seconds: int = 0
    step_up_acr: str | None = None
    step_up_max_age: int = 0

    @property
    def uses_keys(self) -> bool:
        """Whether the broker holds this service's public keys (assertions, objects, JWE)."""
        return (
            self.token_endpoint_auth_method == "private_key_jwt"
            or self.request_object != "none"
            or self.encrypted_id_token
        )


def level(acr: str | None) -> int:
    """The level an `acr` value stands for; 0 for none or an unknown value."""
    return ACR_LEVELS.get(acr or "", 0)


def acceptable_acr(floor: str) -> list[str]:
    """Every `acr` value at or above a floor (OIDC Core §3.1.2.1: the lowest listed is enough)."""
    return [acr for acr, rank in ACR_LEVELS.items() if rank >= level(floor)]


def _get(data: dict, key: str, kind: type, default: Any = ...) -> Any:
    if key not in data:
        if default is ...:
            raise SettingsError(f"{key} is required.")
        return default
    value = data[key]
    if kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"{key} must be a list of strings.")
        return tuple(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SettingsError(f"{key} must be a {kind.__name__}.")
    return value


def _texts(data: dict, key: str) -> dict[str, str]:
    table = data.get(key)
    if not isinstance(table, dict) or any(not isinstance(table.get(c), str) for c in LOCALES):
        raise SettingsError(f"[{key}] must give a text for each of {', '.join(LOCALES)}.")
    return {c: table[c] for c in LOCALES}


def parse(data: dict) -> Service:
    """Check one settings document and return it typed."""
    service_id = _get(data, "id", str)
    method = _get(data, "token_endpoint_auth_method", str)
    if method not in AUTH_METHODS:
        raise SettingsError(f"token_endpoint_auth_method must be one of {AUTH_METHODS}.")
    mode = _get(data, "request_object", str, "none")
    if mode not in REQUEST_OBJECT_MODES:
        raise SettingsError(f"request_object must be one of {REQUEST_OBJECT_MODES}.")
    scope = _get(data, "scope", list)
    if "openid" not in scope:
        raise SettingsError("scope must include openid.")
    claims = _get(data, "allowed_claims", list)
    essential = _get(data, "essential_claims", list, ())
    if set(essential) - set(claims):
        raise SettingsError("essential_claims must be among allowed_claims.")
    acr_values = _get(data, "acr_values", str)
    required, step_up = data.get("required_acr"), data.get("step_up_acr")
    for key, acr in (
        ("acr_values", acr_values),
        ("required_acr", required),
        ("step_up_acr", step_up),
    ):
        if acr is not None and not level(acr):
            raise SettingsError(f"{key} must be one of {', '.join(ACR_LEVELS)}.")
    return Service(
        id=service_id,
        client_id=_get(data, "client_id", str),
        port=_get(data, "port", int),
        sector_identifier=_get(data, "sector_identifier", str),
        scope=scope,
        allowed_claims=claims,
        essential_claims=essential,
        national_id_entitled=_get(data, "national_id_entitled", bool, False),
        acr_values=acr_values,
        required_acr=required,
        token_endpoint_auth_method=method,
        request_object=mode,
        encrypted_id_token=_get(data, "encrypted_id_token", bool, False),
        userinfo=_get(data, "userinfo", bool, False),
        name=_texts(data, "name"),
        need=_texts(data, "need"),
        decision_seconds=_get(data, "decision_seconds", int, 0),
        step_up_acr=step_up,
        step_up_max_age=_get(data, "step_up_max_age", int, 0),
    )


def load(service_id: str, folder: Path = SETTINGS_DIR) -> Service:
    """The settings of a named service, from `<folder>/<service>.toml`."""
    if service_id not in SERVICES:
        raise SettingsError(f"Unknown service {service_id!r}: choose one of {', '.join(SERVICES)}.")
    path = folder / f"{service_id}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"Cannot read {path.name}: {error}") from None
    try:
        service = parse(data)
    except SettingsError as error:
        raise SettingsError(f"{path.name}: {error}") from None
    if service.id != service_id:
        raise SettingsError(f"{path.name}: id must be {service_id!r}.")
    return service
