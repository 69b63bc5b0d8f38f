"""The card's issuing authority as the broker sees it: the holder look-up and its health.

The look-up is `GET <issuer>/api/holders/<eID number>`, authenticated as a registered verifier
with HTTP Basic (card_mock/README.md, "HTTP endpoints"). Health is `GET <issuer>/healthz`,
remembered for an interval and refreshed in the background, as for banks (upstream.py).
"""

from __future__ import annotations

import logging
from urllib.parse import quote

import requests

from silta_common.health import HealthWatch

from .webeid import TokenRejected

log = logging.getLogger("silta.card")
HOLDER_FIELDS = ("eid", "national_identity_number", "given_name", "family_name", "birthdate")
MAX_FIELD_CHARS = 200


class AuthorityUnavailable(Exception):
    """The authority could not answer the look-up."""


class CardAuthority:
    def __init__(
        self, url: str, verifier_id: str, secret: str, timeout: float, health_interval: float
    ):
        self.url, self.timeout, self.health_interval = url, timeout, health_interval
        self._auth = (verifier_id, secret)
        self.health = HealthWatch(self._answers_healthz, health_interval)

    def load_holder(self, eid: str) -> dict[str, str]:
        """The holder's verified attributes; TokenRejected("holder_unknown") for a 404."""
        try:
            response = requests.get(
                f"{self.url}/api/holders/{quote(eid, safe='')}",
                auth=self._auth,
                timeout=self.timeout,
                allow_redirects=False,
            )
            body = response.json() if response.status_code in (200, 404) else None
        except (requests.RequestException, ValueError) as error:
            self._mark(False)
            raise AuthorityUnavailable(error.__class__.__name__) from None
        if response.status_code == 404:
            raise TokenRejected("holder_unknown")
        if response.status_code != 200 or not isinstance(body, dict):
            if response.status_code in (401, 403):
                log.error(
                    "card.lookup_refused status=%s: check SILTA_CARD_VERIFIER_*",
                    response.status_code,
                )
            raise AuthorityUnavailable(f"HTTP {response.status_code}")
        if body.get("eid") != eid or not all(
            isinstance(body.get(k), str) and 0 < len(body[k]) <= MAX_FIELD_CHARS
            for k in HOLDER_FIELDS
        ):
            raise TokenRejected("holder_invalid")
        return {k: body[k] for k in HOLDER_FIELDS}

    # -- health ------------------------------------------------------------------------------
    def _mark(self, healthy: bool) -> None:
        self.health.mark(healthy)

    def _answers_healthz(self) -> bool:
        try:
            response = requests.get(f"{self.url}/healthz", timeout=min(self.timeout, 2.0))
        except requests.RequestException:
            return False
        return response.status_code == 200

    def probe(self) -> bool:
        """Ask the authority now, with a short timeout; remember the answer."""
        return self.health.probe()

    def reachable_now(self) -> bool:
        """Before a login starts: a fresh answer, asked now if the last one is old."""
        return self.health.reachable_now()

    def healthy(self) -> bool:
        """For the method choice: the last answer, refreshed in the background when old."""
        return self.health.healthy()
