"""What happened to each simulated citizen, and what each live step cost the servers."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field

from .population import Citizen

COMPLETED = "completed"
TURNED_AWAY = "turned_away"
ERROR = "error"

# Why a citizen was turned away (or, for ERROR, where the live system failed).
NO_DEVICE = "no_device"
UNSUPPORTED_PHONE = "unsupported_phone"
NO_CARD_READER = "no_card_reader"
NO_CARD = "no_card"
NO_BANK_NO_CARD = "no_bank_and_no_card"
GAVE_UP_PIN = "gave_up_after_wrong_pins"
LOCKED_NO_SLOT = "locked_no_counter_slot"
GAVE_UP_COUNTER = "gave_up_waiting_for_counter"
GAVE_UP_CARD = "gave_up_waiting_for_card"
BANK_REFUSED = "bank_login_refused"
CARD_LEG_MISSING = "card_leg_not_available"
LIVE_FAILURE = "live_system_failure"
CHOSE_PAPER = "chose_paper"
NO_ONLINE_SERVICE = "municipality_not_online"
GAVE_UP_RENEWAL = "gave_up_waiting_for_certificate"

ONLINE, PAPER, NONE = "online", "paper", "none"  # how the household applied, if at all

REASON_TEXT = {
    NO_DEVICE: "no internet device",
    UNSUPPORTED_PHONE: "phone not supported for card login",
    NO_CARD_READER: "computer without a card reader",
    NO_CARD: "no ID card (and did not get one)",
    NO_BANK_NO_CARD: "neither bank credentials nor a usable card",
    GAVE_UP_PIN: "gave up after wrong PINs",
    LOCKED_NO_SLOT: "card locked, no counter slot in the simulated period",
    GAVE_UP_COUNTER: "card locked, gave up waiting for a counter",
    GAVE_UP_CARD: "gave up waiting for a new card",
    BANK_REFUSED: "bank login refused",
    CARD_LEG_MISSING: "card login not run (no reader bridge, or no demo card left)",
    LIVE_FAILURE: "the live system failed (see detail)",
    CHOSE_PAPER: "could apply online but waited for the paper form",
    NO_ONLINE_SERVICE: "municipality offered no online application in time",
    GAVE_UP_RENEWAL: "certificate expired or revoked, gave up waiting for a counter",
}


@dataclass
class Outcome:
    """One citizen's path through the simulated period."""

    scenario: str
    citizen: Citizen
    status: str = ""
    reason: str = ""
    method: str = ""
    completed_day: int | None = None
    attempts: int = 0
    wrong_pins: int = 0
    lockouts: list[str] = field(default_factory=list)  # serials of cards the bridge locked
    counter_days: list[int] = field(default_factory=list)
    application_id: str = ""
    application_status: str = ""
    detail: str = ""
    channel: str = ""  # online, paper or none
    paid_day: int | None = None  # the day the payment reached the household, if it did

    @property
    def days_to_service(self) -> int | None:
        if self.completed_day is None:
            return None
        return self.completed_day - self.citizen.arrival_day

    @property
    def finished(self) -> bool:
        return bool(self.status)

    def complete(self, day: int, method: str, application_id: str, status: str) -> None:
        self.status, self.completed_day, self.method = COMPLETED, day, method
        self.application_id, self.application_status = application_id, status

    def turn_away(self, reason: str) -> None:
        self.status, self.reason = TURNED_AWAY, reason

    def fail(self, detail: str) -> None:
        self.status, self.reason, self.detail = ERROR, LIVE_FAILURE, detail[:500]


@dataclass(frozen=True)
class Measurement:
    """The server work of one live step: wall time seen by the citizen, CPU time per server."""

    scenario: str
    citizen: int
    day: int
    method: str  # bank | card
    step: str  # login | application | unblock
    ok: bool
    wall_seconds: float
    cpu_seconds: dict[str, float]
    requests: int

    @property
    def server_cpu(self) -> float:
        return sum(self.cpu_seconds.values())
