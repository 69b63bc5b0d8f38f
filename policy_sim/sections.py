"""The sections of a scenario file: one frozen dataclass each, and the table of every
parameter's check (policy_sim/checks.py) that parsing applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import checks as c

DEVICES = ("card_reader_pc", "pc", "android_nfc", "iphone", "none")  # "pc": no card reader
PHONES = ("android_nfc", "iphone")
METHODS = ("bank", "card")
CARD_CAPABLE = ("card_reader_pc", "android_nfc", "iphone")  # devices that can reach a card
BANKS = ("aurora", "kide", "revontuli")  # the demo federation's banks (bank_mock/banks.py)
UNBLOCK = ("counter_reset", "desk_authorisation")
AGE_BANDS = ("under_40", "40_to_64", "65_plus")
SECRETS = ("pin", "password")  # the card's 4-digit PIN, or the signature certificate password
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Population:
    residents: int
    age_bands: dict[str, float]
    devices: dict[str, dict[str, float]]
    bank_customer_share: float
    banks: dict[str, float]
    card_holder_share: float
    patience_tries_min: int
    patience_tries_max: int
    patience_days_mean: float
    code_typo_share: float
    online_intent_share: float


@dataclass(frozen=True)
class Policy:
    methods: tuple[str, ...]
    card_devices: tuple[str, ...]
    phone_supported: dict[str, float]
    unblock: str
    card_application_share: float


@dataclass(frozen=True)
class Card:
    secret: str
    tries: int
    recall_mean: float
    recall_concentration: float
    certificate_unusable_share: float


@dataclass(frozen=True)
class Capacity:
    counter_visits_per_day: float
    counter_size_exponent: float
    visit_hours: float
    issuance_days: int
    provisioned_logins_per_month: float
    cores_per_server: int
    target_utilisation: float


@dataclass(frozen=True)
class Demand:
    share: float
    window_days: int
    half_life_days: float
    peak_hour_share: float


@dataclass(frozen=True)
class Calendar:
    start: dt.date
    counter_holidays: tuple[dt.date, ...]
    closed_weekdays: tuple[str, ...]


@dataclass(frozen=True)
class Municipalities:
    count: int
    size_sigma: float
    online_start: dict[int | None, float]
    paper_mail: dict[int | None, float]


@dataclass(frozen=True)
class Payment:
    non_applicant_share: float
    paper_return_days_mean: float
    online_lag_days: float
    paper_lag_days: float


@dataclass(frozen=True)
class Costs:
    currency: str
    paper_application: float
    online_application: float
    counter_visit: float
    login_fee: dict[str, float]
    desk_authorisation: float
    operation_per_month: float


SECTIONS: dict[str, tuple[type, dict[str, c.Check]]] = {
    "population": (
        Population,
        {
            "residents": c.count,
            "age_bands": c.distribution(AGE_BANDS),
            "devices": c.per_key(AGE_BANDS, c.distribution(DEVICES)),
            "bank_customer_share": c.share,
            "banks": c.distribution(BANKS),
            "card_holder_share": c.share,
            "patience_tries_min": c.count,
            "patience_tries_max": c.count,
            "patience_days_mean": c.non_negative,
            "code_typo_share": c.share,
            "online_intent_share": c.share,
        },
    ),
    "policy": (
        Policy,
        {
            "methods": c.subset(METHODS),
            "card_devices": c.subset(CARD_CAPABLE, allow_empty=True),
            "phone_supported": c.per_key(PHONES, c.share),
            "unblock": c.choice(UNBLOCK),
            "card_application_share": c.share,
        },
    ),
    "card": (
        Card,
        {
            "secret": c.choice(SECRETS),
            "tries": c.positive_count,
            "recall_mean": c.share,
            "recall_concentration": c.positive,
            "certificate_unusable_share": c.share,
        },
    ),
    "capacity": (
        Capacity,
        {
            "counter_visits_per_day": c.non_negative,
            "counter_size_exponent": c.non_negative,
            "visit_hours": c.positive,
            "issuance_days": c.count,
            "provisioned_logins_per_month": c.positive,
            "cores_per_server": c.positive_count,
            "target_utilisation": c.positive,
        },
    ),
    "demand": (
        Demand,
        {
            "share": c.share,
            "window_days": c.positive_count,
            "half_life_days": c.non_negative,
            "peak_hour_share": c.share,
        },
    ),
    "calendar": (
        Calendar,
        {
            "start": c.date,
            "counter_holidays": c.dates,
            "closed_weekdays": c.subset(WEEKDAYS, allow_empty=True),
        },
    ),
    "municipalities": (
        Municipalities,
        {
            "count": c.positive_count,
            "size_sigma": c.non_negative,
            "online_start": c.day_shares,
            "paper_mail": c.day_shares,
        },
    ),
    "payment": (
        Payment,
        {
            "non_applicant_share": c.share,
            "paper_return_days_mean": c.non_negative,
            "online_lag_days": c.non_negative,
            "paper_lag_days": c.non_negative,
        },
    ),
    "costs": (
        Costs,
        {
            "currency": c.text,
            "paper_application": c.non_negative,
            "online_application": c.non_negative,
            "counter_visit": c.non_negative,
            "login_fee": c.per_key(METHODS, c.non_negative),
            "desk_authorisation": c.non_negative,
            "operation_per_month": c.non_negative,
        },
    ),
}
OPTIONAL_SECTIONS = {"payment", "costs"}
