"""The bank method's own rules on a verified ID token, and the bank list it is built from."""

from __future__ import annotations

import time

import pytest

from idp.authenticators.bank.method import BankAuthenticator
from idp.authenticators.bank.method import BankConfig
from idp.authenticators.base import AuthnFailed
from idp.authenticators.registry import load_banks
from idp.config import ConfigError

LOA2, LOA3 = "http://ftn.ficora.fi/2017/loa2", "http://ftn.ficora.fi/2017/loa3"


@pytest.fixture
def bank():
    config = BankConfig(
        id="aurora", name="Aurora Bank", issuer="http://bank.test", client_id="silta"
    )
    return BankAuthenticator(config, keys=lambda: None, timeout=1, health_interval=5)


def claims(**changes) -> dict:
    base = {
        "sub": "c-1",
        "acr": LOA2,
        "urn:oid:1.2.246.21": "010170-999R",
        "given_name": "Aino",
        "family_name": "Virtanen",
        "auth_time": int(time.time()),
    }
    base.update(changes)
    return base


def test_a_bank_answering_loa3_still_gives_a_substantial_login(bank):
    assert bank._result(claims(acr=LOA3)).acr == LOA2


def test_the_birthdate_comes_from_the_verified_identity_code(bank):
    result = bank._result(claims(birthdate="1999-12-31"))
    assert result.attributes["birthdate"] == "1970-01-01"
    assert result.amr == ("pwd", "otp", "mfa")


@pytest.mark.parametrize(
    "changes",
    [
        {"acr": "http://ftn.ficora.fi/2017/loa1"},
        {"acr": None},
        {"urn:oid:1.2.246.21": "010170-999S"},
        {"urn:oid:1.2.246.21": None},
        {"sub": 7},
    ],
    ids=["too-low", "no-acr", "bad-check-character", "no-identity-code", "sub-not-a-string"],
)
def test_answers_the_broker_cannot_trust_are_refused(bank, changes):
    with pytest.raises(AuthnFailed):
        bank._result(claims(**changes))


def test_a_bank_list_naming_one_bank_twice_is_refused(tmp_path):
    entry = 'id = "aurora"\nname = "A"\nissuer = "http://a"\nclient_id = "s"\n'
    path = tmp_path / "banks.toml"
    path.write_text(f"[[banks]]\n{entry}\n[[banks]]\n{entry}")
    with pytest.raises(ConfigError, match="appears twice"):
        load_banks(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [('[[banks]]\nid = "aurora"\n', "needs id"), ("not toml [", "Cannot read")],
)
def test_broken_bank_lists_are_refused_with_the_reason(tmp_path, text, message):
    path = tmp_path / "banks.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_banks(path)
