"""The bridge's one call to the card authority: redeem a reset code for a card's SO PIN.

``POST <ISSUER_URL>/api/reset-codes/verify`` as verifier ``silta-reader`` (HTTP Basic: user =
verifier id, password = API key; card_mock/README.md). The authority consumes the code once and
answers with the card's SO PIN, which lives only in memory until C_InitPIN has used it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import requests

from .errors import InvalidResetCode
from .errors import IssuerUnavailable

log = logging.getLogger("card_mock.reader.issuer_client")
VERIFY_PATH = "/api/reset-codes/verify"


class ResetCodeRedeemer:
    """Redeems reset codes at one authority, with a bounded timeout."""

    def __init__(
        self, issuer_url: str, verifier_id: str, key: Callable[[], str | None], timeout: float
    ) -> None:
        self.url = issuer_url + VERIFY_PATH
        self.verifier_id = verifier_id
        self.key = key
        self.timeout = timeout

    def __call__(self, serial: str, code: str) -> str:
        """The card's SO PIN once the authority accepts the code; raise if it does not."""
        key = self.key()
        if not key:
            log.error("reset.no_credentials: the bridge has no API key for the authority")
            raise IssuerUnavailable()
        try:
            answer = requests.post(
                self.url,
                json={"card_serial": serial, "code": code},
                auth=(self.verifier_id, key),
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            log.warning("reset.issuer_unreachable %s", type(error).__name__)
            raise IssuerUnavailable() from None
        body = _json(answer)
        if answer.status_code == 400 and body.get("error") == "invalid_code":
            raise InvalidResetCode()
        so_pin = body.get("so_pin")
        verified = body.get("verified") is True and body.get("card_serial") == serial
        if answer.status_code != 200 or not verified or not so_pin:
            log.error(
                "reset.issuer_refused status=%s error=%s", answer.status_code, body.get("error")
            )
            raise IssuerUnavailable()
        return str(so_pin)


def _json(answer: requests.Response) -> dict:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
