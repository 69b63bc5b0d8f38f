"""The four demo services against the live broker and three live banks (issue 5).

Each service is registered from its own `silta-rp registration` output, then a scripted citizen
walks the real pages of the service, the broker and the bank. The dev authenticator (tests
only) stands in for the ID card where high assurance is needed.
"""

from __future__ import annotations

import re
import threading

import pytest
import requests

from bank_mock import customers
from idp.extensions import db as broker_db
from idp.storage.models import LoginSession
from idp.storage.models import PushedRequest
from relying_parties import tokens
from relying_parties.extensions import db as rp_db
from relying_parties.models import Application
from relying_parties.models import BrowserSession
from relying_parties.models import ResidentAddress
from tests.relying_parties.support import Browser
from tests.relying_parties.support import hidden
from tests.support.flow import csrf_token

pytestmark = pytest.mark.live
LOA3 = "http://ftn.ficora.fi/2017/loa3"


def sub_at(service, browser: Browser) -> str:
    page = browser.get(service.url + "/about-sub")
    return re.search(r'data-sub="([^"]+)"', page.text).group(1)


def rows(service, model, **where) -> list:
    with service.app.app_context():
        return rp_db.session.execute(rp_db.select(model).filter_by(**where)).scalars().all()


def test_bank_login_into_tax_shows_the_identity_number_through_par_and_an_encrypted_token(
    services, browser, fed, monkeypatch
):
    seen = []
    decrypt = tokens.decrypt
    monkeypatch.setattr(
        tokens, "decrypt", lambda raw, *a, **k: seen.append(raw.count(".")) or decrypt(raw, *a, **k)
    )
    page = browser.login_with_bank(services["tax"], "aurora", customers.AINO)
    assert page.status_code == 200, page.text[:500]
    assert '<dd class="national-id">010170-999R</dd>' in page.text
    assert "Aino Virtanen" in page.text
    assert seen == [4]  # the ID token arrived as a JWE (five parts) and was decrypted here
    with fed.broker.app_context():
        pushed = (
            broker_db.session.execute(
                broker_db.select(PushedRequest).filter_by(client_id="demo-tax")
            )
            .scalars()
            .all()
        )
    assert len(pushed) == 1 and pushed[0].used_at is not None  # RFC 9126: pushed, then used
    assert "request" not in pushed[0].params  # unpacked from the signed object at /par
    assert pushed[0].params["code_challenge_method"] == "S256"


def test_the_library_receives_only_age_over_18(services, browser):
    page = browser.login_with_bank(services["library"], "aurora", customers.MIKKO)
    assert 'data-age-over-18="true"' in page.text
    (session,) = rows(services["library"], BrowserSession)
    assert set(session.data["login"]["released"]) == {"age_over_18"}
    for other in ("given_name", "family_name", "birthdate", "urn:oid:1.2.246.21"):
        assert f'data-claim="{other}"' not in page.text


def test_the_same_citizen_has_a_different_sub_at_each_service(services, fed):
    browser = Browser(fed)
    browser.login_with_bank(services["benefits"], "kide", customers.AINO)
    benefits_sub = sub_at(services["benefits"], browser)
    browser.login_with_bank(services["library"], "kide", customers.AINO)
    library_sub = sub_at(services["library"], browser)
    assert benefits_sub and library_sub and benefits_sub != library_sub
    again = Browser(fed)  # the same person in another browser: the same sub at one service
    again.login_with_bank(services["library"], "aurora", customers.AINO)
    assert sub_at(services["library"], again) == library_sub


def test_parallel_benefit_submissions_make_one_application(services, fed):
    service = services["benefits"]
    browser = Browser(fed)
    browser.login_with_bank(service, "revontuli", customers.EERO)
    form = browser.get(service.url + "/application")
    key = hidden(form.text, "idempotency_key")
    token = csrf_token(form.text)
    answers: list[tuple[int, str]] = []

    def submit(idempotency_key: str) -> None:
        tab = requests.Session()  # another tab: the same cookies
        tab.cookies.update(browser.session.cookies)
        answer = tab.post(
            service.url + "/application",
            data={"csrf_token": token, "idempotency_key": idempotency_key},
            allow_redirects=False,
            timeout=15,
        )
        answers.append((answer.status_code, answer.headers.get("Location")))

    tabs = [threading.Thread(target=submit, args=(k,)) for k in (key, key, key[::-1], key)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(30)
    assert answers == [(303, "/application/status")] * 4
    sub = sub_at(service, browser)
    (application,) = rows(service, Application, sub=sub)
    status = browser.get(service.url + "/application/status")
    assert f'data-application-id="{application.number}" data-status="received"' in status.text
    again = browser.get(service.url + "/application")  # the form is gone: the application shows
    assert 'name="idempotency_key"' not in again.text and application.number in again.text


def dev_login(browser: Browser, national_id: str, acr: str = LOA3) -> requests.Response:
    """At the broker's method choice: the test-only method, standing in for the ID card."""
    page = browser.get(f"{browser.interaction}/method/dev/")
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    response = browser.post(
        action,
        {
            "csrf_token": csrf_token(page.text),
            "national_id": national_id,
            "acr": acr,
            "action": "login",
        },
    )
    response = browser.follow(response)
    if "/consent" in response.url:
        response = browser.consent()
    return response


def test_municipal_step_up_asks_for_loa3_and_refuses_to_act_before(services, fed):
    service = services["municipal"]
    browser = Browser(fed)
    home = browser.login_with_bank(service, "kide", customers.HELMI)
    assert "Helmi" in home.text and 'data-claim="birthdate"' in home.text  # read from userinfo
    page = browser.get(service.url + "/address")
    assert 'action="/step-up"' in page.text and 'name="street"' not in page.text
    refused = browser.post(
        service.url + "/address",
        {
            "csrf_token": csrf_token(page.text),
            "street": "Katu 1",
            "postal_code": "00100",
            "city": "Espoo",
        },
    )
    assert refused.status_code == 303 and rows(service, ResidentAddress) == []
    step_up = browser.post(service.url + "/step-up", {"csrf_token": csrf_token(page.text)})
    assert step_up.status_code == 302
    location = step_up.headers["Location"]
    assert location.startswith(fed.broker_url + "/authorize?")
    assert "acr_values=http%3A%2F%2Fftn.ficora.fi%2F2017%2Floa3" in location
    assert "max_age=300" in location and "id_token_hint=" in location
    choice = browser.follow(step_up)
    assert "/method/bank-aurora/" not in choice.text  # banks reach substantial only
    browser.interaction = choice.url.split(fed.broker_url)[1].rstrip("/")
    back = browser.back_to_service(dev_login(browser, customers.HELMI.hetu))
    assert back.url == service.url + "/address" and 'name="street"' in back.text
    changed = browser.post(
        service.url + "/address",
        {
            "csrf_token": csrf_token(back.text),
            "street": "Katu 1",
            "postal_code": "00100",
            "city": "Espoo",
        },
    )
    assert changed.status_code == 303
    (address,) = rows(service, ResidentAddress)
    assert (address.city, address.changed_with_acr) == ("Espoo", LOA3)
    assert address.sub == sub_at(service, browser)  # the same person, stepped up


def test_a_step_up_by_another_person_changes_nothing(services, fed):
    service = services["municipal"]
    browser = Browser(fed)
    browser.login_with_bank(service, "aurora", customers.JUHANI)
    before = sub_at(service, browser)
    page = browser.get(service.url + "/address")
    choice = browser.follow(
        browser.post(service.url + "/step-up", {"csrf_token": csrf_token(page.text)})
    )
    browser.interaction = choice.url.split(fed.broker_url)[1].rstrip("/")
    # The step-up carries the ID token as id_token_hint, so the broker itself will not answer
    # for another person (the service refuses one too: test_pages.py covers that side).
    answer = dev_login(browser, customers.ILMARI.hetu)
    assert not browser.at_service(answer) and "/interaction/" in answer.url
    assert rows(service, ResidentAddress, sub=before) == []
    # Another person logging in at the broker in this browser ended Juhani's broker session,
    # and its back-channel logout ended his login here too: nobody can act as him now.
    page = browser.get(service.url + "/address")
    assert page.status_code == 401 and 'name="street"' not in page.text


def test_rp_initiated_logout_ends_both_sessions(services, fed):
    service = services["library"]
    browser = Browser(fed)
    home = browser.login_with_bank(service, "kide", customers.SIIRI)
    out = browser.post(service.url + "/logout", {"csrf_token": csrf_token(home.text)})
    assert out.status_code == 302
    end_session = out.headers["Location"]
    assert end_session.startswith(fed.broker_url + "/logout?")
    assert "id_token_hint=" in end_session and "state=" in end_session
    back = browser.get(end_session)
    assert back.headers["Location"].startswith(service.url + "/logged-out?state=")
    page = browser.get(back.headers["Location"])
    assert "You have logged out of this service and of Silta." in page.text
    assert "Log in with Silta" in browser.get(service.url + "/").text
    again = browser.visit(service)  # the broker asks again: its session ended too
    assert "/interaction/" in again.url and "/method/bank-kide/" in again.text


def test_back_channel_logout_ends_the_session_at_another_service(services, fed):
    tax, library = services["tax"], services["library"]
    browser = Browser(fed)
    browser.login_with_bank(library, "kide", customers.ONNI)
    home = browser.login_with_bank(tax, "kide", customers.ONNI)
    assert "Log out" in browser.get(library.url + "/").text
    library_sub = sub_at(library, browser)
    out = browser.post(tax.url + "/logout", {"csrf_token": csrf_token(home.text)})
    browser.get(out.headers["Location"])  # the broker ends its session, and tells every service
    with fed.broker.app_context():
        ended = broker_db.session.execute(broker_db.select(LoginSession)).scalars().all()
    assert ended  # the broker session existed
    assert rows(library, BrowserSession, sub=library_sub) == []  # its login is gone
    page = browser.get(library.url + "/")
    assert "Log in with Silta" in page.text and "Log out" not in page.text
