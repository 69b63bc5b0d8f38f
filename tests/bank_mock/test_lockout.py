"""Wrong answers: one generic message, a durable counter, a lock, and a reset on success."""

from __future__ import annotations

import time

import pytest

from bank_mock import lockout
from bank_mock.extensions import db
from bank_mock.models import Customer

from .support import account
from .support import current_code
from .support import wrong_code

FAILED = "The details you gave do not match our records."
LOCKED = "Identification is locked for a while"


def counter(app, number: str) -> tuple[int, int | None]:
    with app.app_context():
        row = db.session.execute(db.select(Customer).filter_by(customer_number=number)).scalar_one()
        return row.failed_attempts, row.locked_until


@pytest.fixture
def aino():
    return account("aurora")


def attempt(flow, number: str, password: str, code: str):
    """One whole attempt: the first screen always moves on; the answer comes after the code."""
    first = flow.login(number, password)
    assert first.status_code == 303 or LOCKED in first.get_data(as_text=True)
    if first.status_code != 303:
        return first
    return flow.enter_code(code)


@pytest.mark.parametrize(
    "wrong",
    [
        pytest.param(lambda a: (a.customer_number, "wrong", current_code(a)), id="password"),
        pytest.param(lambda a: (a.customer_number, a.password, wrong_code(a)), id="code"),
        pytest.param(lambda a: (a.customer_number, "wrong", wrong_code(a)), id="both"),
        pytest.param(lambda a: ("19999999", a.password, current_code(a)), id="customer_number"),
    ],
)
def test_every_wrong_part_gets_the_same_message(flow, aino, wrong):
    flow.start()
    response = attempt(flow, *wrong(aino))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert FAILED in page
    assert 'id="customer_number"' in page  # back at the first screen


def test_five_failures_lock_and_the_lock_hides_the_password(flow, aino, bank):
    flow.start()
    for _ in range(4):
        assert FAILED in attempt(flow, aino.customer_number, "wrong", wrong_code(aino)).get_data(
            as_text=True
        )
    assert counter(bank, aino.customer_number)[0] == 4
    fifth = attempt(flow, aino.customer_number, "wrong", wrong_code(aino))
    assert fifth.status_code == 403
    assert LOCKED in fifth.get_data(as_text=True)
    assert "call the bank" in fifth.get_data(as_text=True)
    failures, locked_until = counter(bank, aino.customer_number)
    assert locked_until is not None and locked_until > time.time() + 890
    # While locked, the right password gives the same answer as a wrong one, at once.
    right = flow.login(aino.customer_number, aino.password)
    wrong = flow.login(aino.customer_number, "wrong")
    assert right.status_code == wrong.status_code == 403
    assert LOCKED in right.get_data(as_text=True)
    assert counter(bank, aino.customer_number) == (failures, locked_until)


def test_the_lock_ends_after_lockout_seconds(flow, aino, bank, monkeypatch):
    flow.start()
    for _ in range(5):
        attempt(flow, aino.customer_number, "wrong", wrong_code(aino))
    later = int(time.time()) + 901
    monkeypatch.setattr(lockout, "now", lambda: later)
    assert flow.log_in(aino).status_code == 303
    assert counter(bank, aino.customer_number) == (0, None)


def test_a_successful_login_resets_the_counter(flow, aino, bank):
    flow.start()
    for _ in range(3):
        attempt(flow, aino.customer_number, "wrong", wrong_code(aino))
    assert counter(bank, aino.customer_number)[0] == 3
    assert flow.log_in(aino).status_code == 303
    assert counter(bank, aino.customer_number) == (0, None)


def test_max_failures_is_a_setting(make_bank, broker_keys, aino):
    from .support import BankFlow

    app = make_bank(MAX_FAILURES=2, LOCKOUT_SECONDS=60)
    flow = BankFlow(app, app.test_client(), broker_keys)
    flow.start()
    attempt(flow, aino.customer_number, "wrong", wrong_code(aino))
    second = attempt(flow, aino.customer_number, "wrong", wrong_code(aino))
    assert second.status_code == 403
    assert time.time() + 50 < counter(app, aino.customer_number)[1] <= time.time() + 60


def test_the_counter_is_one_atomic_update(bank, aino):
    with bank.app_context():
        customer_id = db.session.execute(
            db.select(Customer.id).filter_by(customer_number=aino.customer_number)
        ).scalar_one()
        results = [lockout.record_failure(customer_id) for _ in range(5)]
        db.session.commit()
    assert results == [False, False, False, False, True]
