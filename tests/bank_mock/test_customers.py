"""The demo register: fixed citizens across banks, scenario customers, synthetic citizens."""

from __future__ import annotations

from collections import defaultdict

import pytest
from argon2 import PasswordHasher

from bank_mock import customers
from bank_mock import hetu
from bank_mock.banks import BANKS
from bank_mock.models import Customer
from bank_mock.scenarios import SCENARIOS
from bank_mock.seed import seed


def all_accounts(count: int = 0) -> list[customers.Account]:
    return [a for bank_id in BANKS for a in customers.accounts_for(bank_id, count)]


def test_about_twelve_fixed_citizens_some_at_two_banks():
    ordinary = [a for a in all_accounts() if a.scenario is None]
    banks_of = defaultdict(set)
    for a in ordinary:
        banks_of[a.citizen.hetu].add(a.bank_id)
    assert len(banks_of) == 12
    two_banks = [code for code, banks in banks_of.items() if len(banks) == 2]
    assert len(two_banks) >= 3
    for code in two_banks:
        numbers = {a.customer_number for a in ordinary if a.citizen.hetu == code}
        assert len(numbers) == 2  # the same person, a different customer number per bank


def test_every_code_is_a_valid_test_code_and_every_number_eight_digits():
    accounts = all_accounts(count=60)
    for a in accounts:
        assert hetu.is_test_code(a.citizen.hetu), a
        assert hetu.validate(a.citizen.hetu) == a.citizen.birthdate
        assert len(a.customer_number) == 8 and a.customer_number.isdigit()
    numbers = [a.customer_number for a in accounts]
    assert len(numbers) == len(set(numbers))
    people = {(a.citizen.hetu, a.citizen.name) for a in accounts}
    assert len({code for code, _ in people}) == len(people)  # one HETU, one person


def test_the_2023_century_signs_are_in_use():
    signs = {a.citizen.hetu[6] for a in all_accounts()}
    assert signs & set("YXWVU")
    assert signs & set("BCDEF")


def test_scenario_customers_name_real_per_customer_scenarios():
    named = {a.scenario for a in all_accounts() if a.scenario}
    assert named
    assert all(SCENARIOS[name].per_customer for name in named)


def test_synthetic_citizens_are_deterministic_and_shared_between_banks():
    assert customers.synthetic_citizen(7) == customers.synthetic_citizen(7)
    twice = [i for i in range(30) if len(customers.synthetic_banks(i)) == 2]
    assert twice
    index = twice[0]
    first, second = customers.synthetic_banks(index)
    one = [
        a
        for a in customers.accounts_for(first, 30)
        if a.citizen.hetu == customers.synthetic_citizen(index).hetu
    ]
    two = [
        a
        for a in customers.accounts_for(second, 30)
        if a.citizen.hetu == customers.synthetic_citizen(index).hetu
    ]
    assert len(one) == len(two) == 1


def test_subjects_are_stable_opaque_and_per_bank():
    sub = customers.subject_for("aurora", "10245731")
    assert sub == customers.subject_for("aurora", "10245731")
    assert sub != customers.subject_for("kide", "20136528")
    assert "10245731" not in sub


@pytest.mark.parametrize("bank_id", list(BANKS))
def test_seed_is_idempotent_and_hashes_passwords_with_argon2id(make_bank, bank_id):
    app = make_bank(bank_id)
    with app.app_context():
        assert seed(bank_id) == 0  # the template database was seeded already
        assert seed(bank_id, count=6) > 0
        assert seed(bank_id, count=6) == 0
        from bank_mock.extensions import db

        rows = db.session.scalars(db.select(Customer)).all()
        assert len(rows) == len(customers.accounts_for(bank_id, 6))
        first = rows[0]
        assert first.password_hash.startswith("$argon2id$")
        account = next(
            a for a in customers.accounts_for(bank_id) if a.customer_number == first.customer_number
        )
        assert PasswordHasher().verify(first.password_hash, account.password)
