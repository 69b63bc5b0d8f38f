"""Audit events: each fact once, named noun.verb, and only once it is stored (STYLE rule 9)."""

from __future__ import annotations

from collections import Counter

from tests.support.flow import csrf_token
from tests.support.flow import query


def test_a_first_login_tells_each_fact_once(flow, browser, audit):
    flow.authorize()
    flow.login()
    flow.resume()
    flow.consent(remember=True)
    callback = query(flow.resume())
    tokens = flow.exchange_code(callback["code"]).get_json()
    browser.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert Counter(audit.events) == Counter(
        {
            "login.succeeded": 1,
            "session.started": 1,
            "consent.granted": 1,
            "code.issued": 1,
            "token.issued": 1,
            "claims.released": 2,
        }
    )


def test_a_failed_token_request_tells_nothing_was_issued(flow, audit):
    flow.authorize()
    callback = flow.login_and_consent()
    flow.exchange_code(callback["code"], verifier="x" * 43)
    assert Counter(audit.events)["token.issued"] == 0
    assert Counter(audit.events)["claims.released"] == 0


def test_declining_tells_both_the_decline_and_the_rejection(flow, audit):
    flow.authorize()
    flow.login()
    flow.resume()
    flow.consent(allow=False)
    flow.resume()  # back at the protocol, which tells the service
    events = Counter(audit.events)
    assert events["consent.declined"] == 1
    assert events["authorization.rejected"] == 1
    assert events["consent.granted"] == 0


def test_every_way_a_session_ends_is_told(flow, browser, audit):
    flow.code_flow()
    page = browser.get("/account/")
    browser.post("/account/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert Counter(audit.events)["session.ended"] == 1
