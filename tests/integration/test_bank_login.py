"""Bank login through the broker, against three live mock banks (issue: bank login).

A scripted citizen uses the banks' real forms; the broker is the banks' FTN-profile client.
Each failure asserts what the citizen sees, what the service receives, and what is stored.
"""

from __future__ import annotations

import html
import re
import time

import pytest
import requests

from bank_mock import customers
from federation.layout import BANKS as FEDERATION_BANKS
from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import ExternalIdentity
from idp.storage.models import LoginSession
from idp.storage.models import Person
from idp.storage.models import Token
from tests.conftest import empty_tables
from tests.conftest import register
from tests.support.citizen import Citizen
from tests.support.citizen import account
from tests.support.citizen import form_action as citizen_form_action
from tests.support.citizen import redeem
from tests.support.federation import BANKS
from tests.support.flow import csrf_token

pytestmark = pytest.mark.live
REDIRECT_URI = "https://tax.example/callback"
BANK_NAMES = dict(FEDERATION_BANKS)  # the names the federation registers the banks under


@pytest.fixture
def citizen(fed):
    empty_tables(fed.broker)
    for bank_id in BANKS:
        fed.set_scenario(bank_id, "")
    rp = register(fed.broker, redirect_uris=[REDIRECT_URI])
    return Citizen(fed, rp)


def count(fed, model) -> int:
    with fed.broker.app_context():
        return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def assert_nothing_stored(fed) -> None:
    for model in (LoginSession, AuthorizationCode, Token, ExternalIdentity, Person):
        assert count(fed, model) == 0, model.__name__


@pytest.mark.parametrize("bank_id", BANKS)
def test_login_through_each_bank_gives_the_bank_customers_record(citizen, bank_id):
    acct = customers.accounts_for(bank_id)[0]
    callback = citizen.log_in_with_bank(bank_id, acct)
    assert callback["state"] == citizen.state
    claims = redeem(citizen, callback["code"])
    assert claims["urn:oid:1.2.246.21"] == acct.citizen.hetu
    assert claims["given_name"] == acct.citizen.given_name
    assert claims["family_name"] == acct.citizen.family_name
    assert claims["birthdate"] == acct.citizen.birthdate.isoformat()
    assert claims["acr"] == "http://ftn.ficora.fi/2017/loa2"
    assert claims["amr"] == ["pwd", "otp", "mfa"]
    assert claims["nonce"] == citizen.nonce


def test_a_browser_coming_from_the_banks_form_gets_a_page_that_continues_the_login(citizen):
    """CSP 3 §6.4.1: the bank's form-action applies to every redirect its POST starts, so the
    broker ends that navigation with a page of its own instead of redirecting on."""
    citizen.authorize()
    citizen.choose_bank("aurora")
    citizen.bank_login(customers.accounts_for("aurora")[0])
    page = citizen.last
    to_broker = citizen.post(
        citizen_form_action(page), {"csrf_token": csrf_token(page.text), "decision": "continue"}
    )
    callback = to_broker.headers["Location"]
    assert "/method/bank-aurora/callback" in callback
    continued = citizen.session.get(
        callback, headers={"Sec-Fetch-Site": "same-site"}, allow_redirects=False, timeout=15
    )
    assert continued.status_code == 200
    next_url = re.search(r'content="0;url=([^"]+)"', continued.text).group(1)
    assert f'href="{next_url}"' in continued.text
    assert next_url.startswith("/interaction/") and "/method/bank-aurora/continue?" in next_url
    assert count(citizen.fed, LoginSession) == 0  # nothing happens until the browser continues
    response = citizen.follow(citizen.get(html.unescape(next_url)))
    if "/consent" in response.url:
        response = citizen.consent()
    assert citizen.at_service(response)


def test_the_bank_shows_the_service_name_passed_as_ftn_spname(citizen):
    citizen.authorize()
    citizen.choose_bank("aurora")
    page = citizen.bank_login(customers.accounts_for("aurora")[0])
    assert "Tax Administration" in page.text


def test_method_choice_lists_the_banks_by_name_and_logo(citizen):
    page = citizen.authorize()
    for bank_id in BANKS:
        assert BANK_NAMES[bank_id] in page.text
        assert f"/method/bank-{bank_id}/" in page.text
    assert 'src="data:image/svg+xml;base64,' in page.text


def test_a_citizen_of_two_banks_gets_the_same_pairwise_sub_through_either(citizen):
    aino_at_aurora = account("aurora", customers.AINO)
    aino_at_kide = account("kide", customers.AINO)
    first = redeem(citizen, citizen.log_in_with_bank("aurora", aino_at_aurora)["code"])
    citizen.session.cookies.clear()  # a new browser: no single sign-on
    second = redeem(citizen, citizen.log_in_with_bank("kide", aino_at_kide)["code"])
    assert first["sub"] == second["sub"]
    assert count(citizen.fed, Person) == 1
    assert count(citizen.fed, ExternalIdentity) == 2


def test_cancel_at_the_bank_returns_to_the_method_choice_with_a_plain_message(citizen):
    citizen.authorize()
    citizen.choose_bank("kide")
    citizen.bank_login(customers.accounts_for("kide")[0])
    page = citizen.bank_release("cancel")
    assert page.status_code == 200
    assert "/interaction/" in page.url
    assert "You cancelled the identification" in page.text
    assert_nothing_stored(citizen.fed)


def test_bank_refusal_for_a_customer_is_a_cancel_not_an_error_to_the_service(citizen):
    citizen.authorize()
    citizen.choose_bank("aurora")
    page = citizen.bank_login(account("aurora", scenario="access_denied"))
    assert "You cancelled the identification" in page.text
    assert not citizen.at_service(citizen.last)
    assert_nothing_stored(citizen.fed)


@pytest.mark.parametrize(
    "scenario", ["bad_signature", "wrong_nonce", "expired_id_token", "wrong_audience"]
)
def test_a_bad_id_token_is_refused_with_a_readable_page_and_nothing_stored(citizen, scenario):
    citizen.authorize()
    citizen.choose_bank("revontuli")
    citizen.bank_login(account("revontuli", scenario=scenario))
    page = citizen.bank_release()
    assert page.status_code == 400
    assert "could not be verified" in page.text
    assert "error id" in page.text
    assert "Traceback" not in page.text
    assert_nothing_stored(citizen.fed)


def test_an_answer_naming_another_issuer_is_refused(citizen, fed):
    citizen.authorize()
    citizen.choose_bank("aurora")
    citizen.bank_login(customers.accounts_for("aurora")[2])
    bank_page = citizen.last
    response = citizen.post(bank_page.url, {"csrf_token": _csrf(bank_page), "decision": "continue"})
    callback = response.headers["Location"]
    forged = callback.replace(
        requests.utils.quote(fed.bank_urls["aurora"], safe=""),
        requests.utils.quote(fed.bank_urls["kide"], safe=""),
    )
    assert forged != callback
    page = citizen.follow(citizen.get(forged))
    assert page.status_code == 400
    assert "could not be verified" in page.text
    replay = citizen.follow(citizen.get(callback))  # the genuine answer, now spent
    assert replay.status_code == 400
    assert_nothing_stored(fed)


def _csrf(page) -> str:
    return csrf_token(page.text)


def test_a_locked_out_customer_cannot_log_in_and_nothing_reaches_the_broker(citizen):
    acct = account("kide", customers.VAINO)
    citizen.authorize()
    citizen.choose_bank("kide")
    for attempt in range(1, 6):
        page = citizen.bank_login(acct, password="wrong-password")
        assert page.status_code == (403 if attempt == 5 else 200)  # the fifth locks
        assert "/login/" in page.url
    page = citizen.bank_login(acct)  # the right password, too late
    assert page.status_code == 403
    assert_nothing_stored(citizen.fed)


def wait_until(condition, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_bank_that_goes_down_is_shown_unavailable_within_seconds_and_recovers(citizen, fed):
    assert "/method/bank-kide/" in citizen.authorize().text
    fed.set_scenario("kide", "down")
    assert wait_until(lambda: "/method/bank-kide/" not in citizen.authorize().text)
    page = citizen.last
    assert "Temporarily unavailable" in page.text
    assert "/method/bank-aurora/" in page.text  # the others keep working
    callback = citizen.log_in_with_bank("aurora", customers.accounts_for("aurora")[0])
    assert "code" in callback
    fed.set_scenario("kide", "")
    citizen.session.cookies.clear()  # log out, so the method choice is shown again
    assert wait_until(lambda: "/method/bank-kide/" in citizen.authorize().text)


def test_a_bank_failing_at_the_start_gives_a_plain_page_and_marks_it_unavailable(citizen, fed):
    citizen.authorize()
    fed.set_scenario("revontuli", "down")
    time.sleep(0.4)  # older than the health interval: the broker asks the bank again first
    page = citizen.choose_bank("revontuli")
    assert page.status_code == 400
    assert "cannot be reached" in page.text
    assert fed.bank_urls["revontuli"] not in citizen.last.url  # never sent to a dead bank
    assert "/method/bank-revontuli/" not in citizen.authorize().text
    fed.set_scenario("revontuli", "")


def test_a_slow_bank_is_cut_off_by_the_timeout_and_shown_unavailable(citizen, fed):
    citizen.authorize()
    fed.set_scenario("kide", "slow")  # the bank waits 3 s; the broker waits at most 2 s
    time.sleep(0.4)
    started = time.monotonic()
    page = citizen.choose_bank("kide")
    assert time.monotonic() - started < 3
    assert page.status_code == 400
    assert "cannot be reached" in page.text
    assert "/method/bank-kide/" not in citizen.authorize().text
    fed.set_scenario("kide", "")
    assert wait_until(lambda: "/method/bank-kide/" in citizen.authorize().text, seconds=8)


def test_a_bank_error_page_strands_nobody_at_the_broker(citizen, fed):
    citizen.authorize()
    fed.set_scenario("aurora", "error_page")
    page = citizen.choose_bank("aurora")
    assert page.status_code == 500  # the bank's own error page, at the bank
    assert page.url.startswith(fed.bank_urls["aurora"])
    fed.set_scenario("aurora", "")
    choice = citizen.get(citizen.interaction)  # the citizen goes back: the login carries on
    assert "/method/bank-kide/" in choice.text
    assert_nothing_stored(fed)
