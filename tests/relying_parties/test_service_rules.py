"""Each service's own rules: the Benefits Office's one application, the municipal step-up."""

from __future__ import annotations

import re
import threading
import time

import pytest

from relying_parties import benefits
from relying_parties import login as rp_login
from relying_parties import municipal
from relying_parties.errors import StepUpRefused
from relying_parties.extensions import db
from relying_parties.models import Application
from relying_parties.models import ResidentAddress
from tests.relying_parties.conftest import cookie_header
from tests.relying_parties.conftest import log_in
from tests.relying_parties.conftest import query_of
from tests.relying_parties.fake_broker import LOA2
from tests.relying_parties.fake_broker import LOA3
from tests.support.flow import csrf_token


@pytest.mark.parametrize("service_app", ["municipal"], indirect=True)
def test_an_address_change_at_substantial_changes_nothing_and_offers_step_up(
    service_app, fake_broker
):
    browser = service_app.test_client()
    held = log_in(service_app, browser, acr=LOA2)
    page = browser.get("/address")
    html = page.get_data(as_text=True)
    assert 'action="/step-up"' in html and 'name="street"' not in html
    posted = browser.post(
        "/address",
        data={
            "csrf_token": csrf_token(html),
            "street": "Uusi katu 1",
            "postal_code": "00100",
            "city": "Helsinki",
        },
    )
    assert posted.status_code == 303 and posted.headers["Location"] == "/address"
    with service_app.app_context():
        assert db.session.get(ResidentAddress, held["sub"]) is None
    step_up = browser.post("/step-up", data={"csrf_token": csrf_token(html)})
    assert step_up.status_code == 302
    query = query_of(step_up.headers["Location"])
    assert query["acr_values"] == LOA3
    assert query["max_age"] == "300"
    assert query["id_token_hint"] == held["id_token"]


@pytest.mark.parametrize("service_app", ["municipal"], indirect=True)
def test_at_high_assurance_the_address_form_checks_and_stores(service_app):
    browser = service_app.test_client()
    held = log_in(service_app, browser, acr=LOA3)
    html = browser.get("/address").get_data(as_text=True)
    assert '<label for="street">' in html
    bad = browser.post(
        "/address",
        data={"csrf_token": csrf_token(html), "street": "Katu 2", "postal_code": "1", "city": "X"},
    )
    assert bad.status_code == 400
    assert 'aria-invalid="true" aria-describedby="postal_code-error"' in bad.get_data(as_text=True)
    good = browser.post(
        "/address",
        data={
            "csrf_token": csrf_token(html),
            "street": "Katu 2",
            "postal_code": "00100",
            "city": "Helsinki",
        },
    )
    assert good.status_code == 303
    with service_app.app_context():
        row = db.session.get(ResidentAddress, held["sub"])
        assert (row.street, row.postal_code, row.changed_with_acr) == ("Katu 2", "00100", LOA3)


@pytest.mark.parametrize("service_app", ["municipal"], indirect=True)
@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"sub": "sub-1", "acr": LOA2}, "acr_too_low"),
        ({"sub": "someone-else", "acr": LOA3}, "another_person"),
    ],
)
def test_a_step_up_is_refused_below_high_or_for_another_person(service_app, claims, reason):
    browser = service_app.test_client()
    log_in(service_app, browser, acr=LOA2)
    now = int(time.time())
    result = rp_login.Login({**claims, "auth_time": now}, "signed", None, "step_up", now, "sub-1")
    headers = cookie_header(service_app, browser)
    with (
        service_app.test_request_context("/callback", headers=headers),
        pytest.raises(StepUpRefused) as refused,
    ):
        municipal.complete_step_up(result)
    assert refused.value.code == reason


def test_the_decision_rule_is_received_then_decided():
    application = Application(
        id=7, sub="s", idempotency_key="k" * 20, applicant_name="A", created_at=1000
    )
    assert application.number == "OP-000007"
    assert benefits.status_of(application, 20, now=1019).status == benefits.RECEIVED
    decided = benefits.status_of(application, 20, now=1020)
    assert (decided.status, decided.decision) == (benefits.DECIDED, "granted")


@pytest.mark.parametrize("service_app", ["benefits"], indirect=True)
def test_one_application_per_person_under_parallel_submissions(service_app):
    browser = service_app.test_client()
    held = log_in(service_app, browser)
    html = browser.get("/application").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1)
    token = csrf_token(html)
    answers = []

    def submit(idempotency_key: str) -> None:
        client = service_app.test_client()
        client.set_cookie("rp_benefits", browser.get_cookie("rp_benefits").value)
        answer = client.post(
            "/application", data={"csrf_token": token, "idempotency_key": idempotency_key}
        )
        answers.append((answer.status_code, answer.headers.get("Location")))

    threads = [
        threading.Thread(target=submit, args=(k,)) for k in (key, key, "other-key-0123456789")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == [(303, "/application/status")] * 3
    with service_app.app_context():
        rows = db.session.execute(db.select(Application).filter_by(sub=held["sub"])).scalars().all()
    assert len(rows) == 1
    status = browser.get("/application/status").get_data(as_text=True)
    assert f'data-application-id="{rows[0].number}" data-status="received"' in status


@pytest.mark.parametrize("service_app", ["benefits"], indirect=True)
def test_a_malformed_idempotency_key_is_refused_and_stores_nothing(service_app):
    browser = service_app.test_client()
    log_in(service_app, browser)
    html = browser.get("/application").get_data(as_text=True)
    answer = browser.post(
        "/application", data={"csrf_token": csrf_token(html), "idempotency_key": "x"}
    )
    assert answer.status_code == 400
    with service_app.app_context():
        assert db.session.execute(db.select(Application)).first() is None
