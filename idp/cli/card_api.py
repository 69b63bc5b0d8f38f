"""The issuing authority's operator API as `silta card` calls it: HTTP only, never an import.

The broker does not import ``card_mock`` (ARCHITECTURE §2): a real authority is another
organisation's service. The demo issues its cards through this command too (federation/seed.py).
The operator authenticates with HTTP Basic (RFC 7617), as the issuer's verifiers do, with
``SILTA_CARD_OPERATOR_ID`` and ``SILTA_CARD_OPERATOR_SECRET``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

TIMEOUT = 10.0
ISSUE_TIMEOUT = 60.0  # an RSA-2048 key is generated on the card's token: seconds, not millis

# The issuer's error codes (card_mock/issuer/views/api.py), said as an operator needs to hear.
MESSAGES = {
    "unauthenticated": "The card issuer refused the operator's credentials: check "
    "SILTA_CARD_OPERATOR_ID and SILTA_CARD_OPERATOR_SECRET.",
    "forbidden": "The card issuer does not allow this operator to do that (missing permission).",
    "invalid_pin": "The PIN must be 4 to 12 digits.",
    "unknown_holder": "The card issuer has no holder with that eID number.",
    "not_found": "The card issuer has no card with that serial.",
    "card_not_active": "The card is revoked or lost: it cannot be reset. Issue a new card.",
    "identity_not_checked": "A reset needs the holder's identity checked in person first.",
    "rate_limited": "The card issuer is rate-limiting this address: try again in a minute.",
    "bad_request": "The card issuer did not accept the request.",
}


class OperatorError(RuntimeError):
    """A card operation failed; the message says why in a sentence."""


@dataclass(frozen=True)
class IssuerApi:
    """The operator endpoints of one issuing authority."""

    base_url: str
    operator_id: str
    secret: str

    @classmethod
    def from_config(cls, values: Mapping[str, Any]) -> IssuerApi:
        """Build from the broker's settings; name every missing one."""
        names = ("CARD_ISSUER_URL", "CARD_OPERATOR_ID", "CARD_OPERATOR_SECRET")
        missing = [f"SILTA_{name}" for name in names if not values.get(name)]
        if missing:
            raise OperatorError(
                f"`silta card` needs {', '.join(missing)} (see docs/configuration.md)."
            )
        return cls(str(values["CARD_ISSUER_URL"]).rstrip("/"), *(values[n] for n in names[1:]))

    def call(
        self, method: str, path: str, timeout: float = TIMEOUT, **kwargs: Any
    ) -> dict[str, Any]:
        """One API call; the JSON answer, or OperatorError with a readable sentence."""
        url = self.base_url + path
        try:
            response = requests.request(
                method, url, auth=(self.operator_id, self.secret), timeout=timeout, **kwargs
            )
        except requests.RequestException as error:
            raise OperatorError(
                f"The card issuer at {self.base_url} does not answer: {error}"
            ) from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.ok and isinstance(body, dict):
            return body
        code = body.get("error") if isinstance(body, dict) else None
        raise OperatorError(
            MESSAGES.get(code or "", f"The card issuer answered HTTP {response.status_code}.")
        )

    def issue(self, holder: str, pin: str, algorithm: str | None = None) -> dict[str, Any]:
        """Issue a card; the PIN goes in the request body to the issuer only."""
        body = {"holder": holder, "pin": pin} | ({"algorithm": algorithm} if algorithm else {})
        return self.call("POST", "/api/cards", json=body, timeout=ISSUE_TIMEOUT)

    def list_cards(self, holder: str | None = None) -> list[dict[str, Any]]:
        """Every card with its status, optionally one holder's."""
        params = {"holder": holder} if holder else None
        cards: list[dict[str, Any]] = self.call("GET", "/api/cards", params=params)["cards"]
        return cards

    def revoke(self, serial: str, lost: bool) -> dict[str, Any]:
        """Revoke a card at once, as lost or for another reason."""
        reason = "lost" if lost else "revoked"
        return self.call("POST", f"/api/cards/{_serial(serial)}/revoke", json={"reason": reason})

    def authorise_reset(self, serial: str) -> dict[str, Any]:
        """Authorise a PIN reset after an in-person identity check; the citizen's one-time code."""
        return self.call(
            "POST",
            f"/api/cards/{_serial(serial)}/reset-authorisations",
            json={"identity_checked": True},
        )


def _serial(serial: str) -> str:
    if not (serial.isascii() and serial.isdigit() and len(serial) == 10):
        raise OperatorError(f"A card serial is ten digits, not {serial!r}.")
    return serial
