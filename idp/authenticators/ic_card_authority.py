"""The card's issuing authority as the broker sees it: the holder look-up and its health.

The look-up is `GET <issuer>/api/holders/<eID number>`, authenticated as a registered verifier
with HTTP Basic (card_mock/README.md, "HTTP endpoints"). Health is `GET <issuer>/healthz`,
remembered for an interval and refreshed in the background, as for banks (upstream.py).
"""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import quote

import requests

from .upstream import Health
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
        self._health = Health()
        self._lock = threading.Lock()

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

    # -- health, as upstream.Upstream keeps it for a bank --------------------------------------
    def _mark(self, healthy: bool) -> None:
        self._health = Health(healthy=healthy, checked_at=time.monotonic())

    def probe(self) -> bool:
        """Ask the authority now, with a short timeout; remember the answer."""
        try:
            healthy = (
                requests.get(f"{self.url}/healthz", timeout=min(self.timeout, 2.0)).status_code
                == 200
            )
        except requests.RequestException:
            healthy = False
        self._mark(healthy)
        return healthy

    def reachable_now(self) -> bool:
        """Before a login starts: a fresh answer, asked now if the last one is old."""
        health = self._health
        if time.monotonic() - health.checked_at <= self.health_interval:
            return health.healthy
        return self.probe()

    def healthy(self) -> bool:
        """For the method choice: the last answer, refreshed in the background when old."""
        health = self._health
        if health.checked_at == 0.0:
            return self.probe()
        if time.monotonic() - health.checked_at > self.health_interval and not health.checking:
            with self._lock:
                if not self._health.checking:
                    self._health.checking = True
                    threading.Thread(target=self.probe, daemon=True).start()
        return health.healthy
