"""What really happened in 2019-2020, as data: each figure with its date, its source, what kind
of check it is (a test, fitted, an input, not modelled) and how to read the model's value for
the same date. backtest.py sets them beside the model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from .uncertainty import Estimate
from .uncertainty import Study
from .uncertainty import estimate

TEST, FITTED, INPUT, NOT_MODELLED = "test", "fitted", "input", "not modelled"
J2019, J2020, FINLAND = "japan-2019", "japan-2020-payment-surge", "finland"


def saturation_start(full: list[float]) -> int:
    """The first day of the seven in which the most residents' counters were full."""
    starts = range(0, max(1, len(full) - 6))
    return max(starts, key=lambda d: sum(full[d : d + 7]))


@dataclass(frozen=True)
class Figure:
    scenario: str
    what: str
    when: dt.date
    real: float
    real_text: str
    source: str
    kind: str
    model: Callable[[Study], Estimate] | None = None
    tolerance: float = 0.30  # relative, unless `points` (absolute share)
    points: bool = False
    note: str = ""
    why: str = ""  # the reason, known from the model's structure, when it misses
    days: bool = False  # real and model are simulated days, shown as dates


def _day(study: Study, when: dt.date) -> int:
    return (when - study.scenario.calendar.start).days


def online_by(when: dt.date) -> Callable[[Study], Estimate]:
    return lambda s: estimate([m.curves["online"][_day(s, when)] for m in s.metrics])


def paid_by(when: dt.date) -> Callable[[Study], Estimate]:
    return lambda s: estimate([m.curves["paid"][_day(s, when)] for m in s.metrics])


def visits_on(when: dt.date) -> Callable[[Study], Estimate]:
    return lambda s: estimate([m.curves["visits"][_day(s, when)] for m in s.metrics])


def input_value(name: str) -> Callable[[Study], Estimate]:
    return lambda s: Estimate(
        s.scenario.value(name), s.scenario.value(name), s.scenario.value(name), 1
    )


D = dt.date
COUNTER_MISS = (
    "the model's counters work through the Golden Week backlog at full capacity from the first "
    "working day, while real counters were slowed by J-LIS delays (reported on 8 May) and by "
    "crowds; so the model serves too few on 8 May and too many on 11 May, though the three "
    "days' total agrees"
)
JLIS = "J-LIS via https://jp24h.com/post/86289.html (19 May 2020)"
FIGURES = [
    Figure(
        J2019,
        "Mynaportal use as a share of its provisioned load (a month)",
        D(2019, 4, 30),
        0.0002,
        "0.02 % (0.08 % summing peak months)",
        "Issue #8 from public reporting; primary audit document not retrieved",
        FITTED,
        lambda s: s.estimate("load_share"),
        note="demand.share was fitted to it",
    ),
    Figure(
        J2019,
        "Residents holding the My Number card",
        D(2019, 4, 1),
        0.13,
        "13 %",
        "Issue #8; ARCHITECTURE §1",
        INPUT,
        input_value("population.card_holder_share"),
        points=True,
    ),
    Figure(
        J2019,
        "Residents holding the My Number card",
        D(2016, 7, 1),
        0.05,
        "about 5 %",
        "Issue #19 (not verified here; MIC reported 2.04 million cards handed over by "
        "27 March 2016, about 1.6 %)",
        NOT_MODELLED,
        note="the model starts in 2019 and takes card holding as given",
    ),
    Figure(
        J2020,
        "Online applications for the payment",
        D(2020, 5, 6),
        513_491,
        "513,491 (by 7 May, 0:00)",
        "MIC, Minister's press conference 8 May 2020 (https://seniorguide.jp/article/1251447.html)",
        FITTED,
        online_by(D(2020, 5, 6)),
        note="online_intent_share and half_life_days were fitted to it and to 13 May",
    ),
    Figure(
        J2020,
        "Online applications for the payment",
        D(2020, 5, 13),
        1_436_350,
        "1,436,350",
        "Asahi, 15 May 2020 (https://www.asahi.com/articles/ASN5H5TX0N5HULFA00K.html)",
        FITTED,
        online_by(D(2020, 5, 13)),
        note="online_intent_share and half_life_days were fitted to it and to 7 May",
    ),
    Figure(
        J2020,
        "Online applications for the payment",
        D(2020, 5, 19),
        1_816_430,
        "1,816,430 (by 20 May, 0:00)",
        "Diet record, 21 May 2020 (https://kokkai.ndl.go.jp/txt/120104601X01720200521)",
        TEST,
        online_by(D(2020, 5, 19)),
    ),
    Figure(
        J2020,
        "Online applications for the payment",
        D(2020, 5, 24),
        1_940_000,
        "about 1.94 million",
        "MIC, 26 May 2020 (https://jp24h.com/post/87946.html)",
        TEST,
        online_by(D(2020, 5, 24)),
    ),
    Figure(
        J2020,
        "Counter visits for passwords and certificates, 7, 8 and 11 May together",
        D(2020, 5, 11),
        443_000,
        "368,000 password re-sets and about 75,000 new certificates",
        JLIS,
        FITTED,
        lambda s: estimate([sum(m.curves["visits"][d] for d in (6, 7, 10)) for m in s.metrics]),
        note="counter capacity was fitted to this total",
    ),
    *[
        Figure(
            J2020,
            "Counter visits for passwords and certificates in a day",
            D(2020, 5, day),
            resets + 25_000,
            f"{resets:,} password re-sets and 20,000-30,000 new certificates",
            JLIS,
            TEST,
            visits_on(D(2020, 5, day)),
            why=COUNTER_MISS,
        )
        for day, resets in ((7, 110_000), (8, 135_000), (11, 123_000))
    ],
    Figure(
        J2020,
        "Start of the week with the most residents' counters fully booked",
        D(2020, 5, 7),
        6,
        "the week after Golden Week (waits of 4-6 hours on 8 May)",
        "Mainichi, 15 May 2020 (https://mainichi.jp/english/articles/20200515/p2a/00m/0na/"
        "031000c); Sankei via https://www.segunabe.com/2020/05/22/passclipnews20200522/",
        TEST,
        lambda s: estimate([float(saturation_start(m.curves["full"])) for m in s.metrics]),
        3,
        True,
        days=True,
    ),
    Figure(
        J2020,
        "Municipalities suspending online applications",
        D(2020, 6, 2),
        43,
        "13 by 26 May, 43 by 2 June, about 80 by mid-June (the last not verified)",
        "https://jp24h.com/post/87946.html; https://www.tellerreport.com/life/2020-06-02-cash-"
        "100-000-yen-uniform-payment-43-online-applications-suspended-by-43-local-"
        "governments-nationwide-.HJxUoWUmnU.html",
        NOT_MODELLED,
        note="the model keeps every municipality's online service open once started",
    ),
    Figure(
        J2020,
        "Households paid",
        D(2020, 6, 12),
        0.437,
        "43.7 %",
        "Jiji, 16 June 2020 (https://medical.jiji.com/news/33068)",
        FITTED,
        paid_by(D(2020, 6, 12)),
        0.05,
        True,
        note="paper_lag_days was fitted to it",
    ),
    Figure(
        J2020,
        "Households paid",
        D(2020, 6, 17),
        0.515,
        "51.5 %",
        "Kyodo, 19 June 2020 (https://www.iwate-np.co.jp/article/kyodo/2020/6/19/496870)",
        TEST,
        paid_by(D(2020, 6, 17)),
        0.05,
        True,
    ),
    Figure(
        J2020,
        "Households paid",
        D(2020, 7, 22),
        0.95,
        "95.0 %",
        "Kyodo, 28 July 2020 (https://www.iwate-np.co.jp/article/kyodo/2020/7/28/520887)",
        TEST,
        paid_by(D(2020, 7, 22)),
        0.05,
        True,
    ),
    Figure(
        FINLAND,
        "Bank credentials' share of strong identifications",
        D(2010, 1, 1),
        0.999,
        "about 99.9 %",
        "Identity in the Information Society (2010), doi:10.1007/s12394-010-0049-8",
        TEST,
        lambda s: s.estimate("bank_share"),
        0.009,
        True,
    ),
]
