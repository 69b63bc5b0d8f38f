"""Getting a running demo ready for `silta compare` before the run, and tidy after it.

Every simulated citizen needs people of their own (two citizens sharing one would share a
consent and an application): a synthetic customer at their bank (`silta-bank seed`), and, for
each citizen who may log in with a card (`journey.may_need_card`), a card with a known PIN from
the demo's card pool (live/card_pool.py). Unblocks need the desk official's login. Each step
runs only when the user did not give that leg themselves, and says what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field

from . import population
from .journey import may_need_card
from .live import demo as demo_folder
from .live.accounts import IdCard
from .live.card import Desk
from .live.card_pool import CardPool
from .live.card_pool import OperatorApi
from .live.demo import DemoFolder
from .scenario import Scenario

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Given:
    """Which legs the user supplied on the command line (those are not prepared)."""

    bank_customers: bool
    cards: bool
    desk: bool


@dataclass
class Legs:
    """What the preparation made for the run."""

    cards: list[IdCard] = field(default_factory=list)
    desk: Desk | None = None
    pool: CardPool | None = None
    card_need: int = 0  # citizens who may log in with a card of their own

    def check_in(self, pins: dict[str, str]) -> None:
        """After a finished run: record the PIN each card of the pool has now."""
        if self.pool is not None:
            self.pool.check_in(pins)


def cards_needed(scenarios: list[Scenario], sample: int, seed: int) -> int:
    """Cards the run may hand out: citizens who may log in with a card of their own in any
    scenario, plus a tenth for bank-first citizens whose bank login fails."""
    count = sum(
        may_need_card(scenario, citizen, seed)
        for scenario in scenarios
        for citizen in population.generate(scenario, sample, seed)
    )
    return count + -(-count // 10)


def prepare(
    demo: DemoFolder,
    urls: dict[str, str],
    run: tuple[list[Scenario], int, int],
    customers: int,
    given: Given,
    echo: Echo,
) -> Legs:
    """Seed the banks, fill the card pool and find the desk login, as far as the run needs."""
    scenarios, sample, seed = run
    echo(f"Preparing the demo in {demo.root}:")
    legs = Legs()
    if not given.bank_customers:
        for answer in demo.seed_banks(customers):
            echo(f"  {answer} (synthetic customers: the first {customers})")
    need = legs.card_need = cards_needed(scenarios, sample, seed)
    if need and not given.cards:
        legs.pool, legs.cards = fill_cards(demo, urls, need, echo)
    if need and not given.desk:
        password = demo.issuer_secret(demo_folder.DESK_SECRET)
        legs.desk = Desk(urls["issuer"], demo_folder.DESK_OFFICIAL, password)
        echo(f"  PIN-reset desk: official {demo_folder.DESK_OFFICIAL} at {urls['issuer']}, "
             "password from the card authority's demo secrets")  # fmt: skip
    if not need:
        echo("  ID cards: no citizen of this sample logs in with a card")
    return legs


def fill_cards(
    demo: DemoFolder, urls: dict[str, str], need: int, echo: Echo
) -> tuple[CardPool, list[IdCard]]:
    """The card pool with at least `need` ready cards, and those cards."""
    secret = demo.issuer_secret(demo_folder.OPERATOR_SECRET)
    api = OperatorApi(urls["issuer"], demo_folder.OPERATOR_ID, secret)
    pool = CardPool(demo.work, api, urls["reader"])

    def holders(count: int) -> list[dict]:
        added, rows = demo.seed_holders(count)
        echo(f"  card holders: the first {count} synthetic holders at the issuer ({added} new)")
        return rows

    cards = pool.prepare(need, holders)
    done = pool.report
    echo(
        f"  ID cards: {need} may be needed; {done.ready} ready with known PINs "
        f"({done.issued} issued now, {done.restored} reset to a new PIN"
        + (f", {done.dropped} no longer in the bridge dropped" if done.dropped else "")
        + f"), listed in {pool.path}"
    )
    return pool, cards
