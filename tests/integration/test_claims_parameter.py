"""The `claims` request parameter and consent per claim (OIDC Core §5.4, §5.5)."""

from __future__ import annotations

import datetime
import json
import re

import pytest

from idp.extensions import db
from idp.oidc.claims import AGE_OVER_18
from idp.oidc.claims import NATIONAL_ID
from idp.storage.models import AuthorizationCode
from idp.storage.models import ConsentGrant
from idp.storage.models import Interaction
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from tests.conftest import register
from tests.support.flow import ISSUER
from tests.support.flow import Flow
from tests.support.flow import counts
from tests.support.flow import id_token_claims
from tests.support.flow import query

PROFILE = ["given_name", "family_name", "name", "birthdate"]
ISSUED = (Interaction, AuthorizationCode, Token, ConsentGrant, ReleaseLogEntry)


def essential(*names: str, member: str = "id_token") -> str:
    return json.dumps({member: {name: {"essential": True} for name in names}})


def at_consent(flow, **authorize) -> str:
    """Authorize, log in, and return the consent page's HTML."""
    flow.authorize(**authorize)
    flow.login()
    assert flow.resume().headers["Location"].endswith("/consent")
    return flow.consent_page().get_data(as_text=True)


def released(flow, callback) -> tuple[dict, dict]:
    """The ID token's claims and the userinfo answer for a callback's code."""
    tokens = flow.tokens(callback)
    info = flow.userinfo(tokens["access_token"])
    assert info.status_code == 200
    return id_token_claims(flow.browser, tokens["id_token"]), info.get_json()


def test_an_essential_claim_is_shown_as_required_and_cannot_be_unticked(flow, ctx):
    html = at_consent(flow, scope="openid", claims=essential("birthdate"))
    row = re.search(r'<ul class="claims">\s*<li>(.*?)</li>', html, re.S).group(1)
    assert "Your date of birth" in row
    assert "required by the service" in row
    assert re.search(r'<input type="checkbox"[^>]*\bdisabled\b', row)  # not untickable

    flow.consent(claims=[])  # the form is submitted without any claim ticked
    id_token, info = released(flow, query(flow.resume()))
    assert id_token["birthdate"] == "1970-01-01"  # essential: released all the same
    assert info["birthdate"] == "1970-01-01"
    code = ctx.execute(db.select(AuthorizationCode)).scalar_one()
    assert code.claims == ["birthdate"]


def test_a_claim_asked_both_ways_is_essential(flow):
    html = at_consent(flow, scope="openid profile", claims=essential("family_name"))
    assert html.count("required by the service") == 1
    assert html.count('class="optional"') == 3
    flow.consent(claims=[])
    id_token, _ = released(flow, query(flow.resume()))
    assert id_token["family_name"] == "Virtanen"
    assert not {"given_name", "name", "birthdate"} & set(id_token)


def test_essential_claims_for_userinfo_are_essential_too(flow):
    at_consent(flow, scope="openid", claims=essential("given_name", member="userinfo"))
    flow.consent(claims=[])
    _, info = released(flow, query(flow.resume()))
    assert info["given_name"] == "Aino"


def test_unticked_voluntary_claims_are_absent_from_id_token_and_userinfo(flow, ctx):
    html = at_consent(flow, scope="openid profile")
    assert html.count('class="optional"') == 4
    assert "required by the service" not in html
    flow.consent(claims=["given_name"])
    id_token, info = released(flow, query(flow.resume()))
    for answer in (id_token, info):
        assert answer["given_name"] == "Aino"
        assert not {"family_name", "name", "birthdate"} & set(answer)
    entries = ctx.execute(db.select(ReleaseLogEntry).order_by(ReleaseLogEntry.seq)).scalars()
    assert [(e.channel, e.claims) for e in entries] == [
        ("id_token", ["given_name"]),
        ("userinfo", ["given_name"]),
    ]


def test_no_claim_ticked_releases_only_the_subject(flow):
    at_consent(flow, scope="openid profile")
    flow.consent(claims=[])
    id_token, info = released(flow, query(flow.resume()))
    assert not set(PROFILE) & set(id_token)
    assert set(info) == {"sub"}


@pytest.fixture
def library(clean):
    """A client not entitled to the national identity number."""
    return register(
        clean,
        client_id="library",
        name="City Library",
        purpose="To lend you books.",
        redirect_uris=["https://library.example/cb"],
        allowed_scopes=["openid", "profile"],
        allowed_claims=PROFILE,
        national_id_entitled=False,
    )


@pytest.mark.parametrize(
    "request_",
    [
        dict(scope="openid profile national_id"),
        dict(scope="openid profile", claims=essential(NATIONAL_ID)),
        dict(scope="openid profile", claims=json.dumps({"userinfo": {NATIONAL_ID: None}})),
    ],
    ids=["scope", "essential", "voluntary-userinfo"],
)
def test_a_claim_the_client_may_not_have_is_never_shown_nor_released(
    browser, library, ctx, request_
):
    flow = Flow(browser, library)
    html = at_consent(flow, **request_)
    assert "Your personal identity code" not in html
    assert NATIONAL_ID not in html
    # Even a forged form naming the claim does not release it.
    flow.consent(claims=[*PROFILE, NATIONAL_ID])
    id_token, info = released(flow, query(flow.resume()))
    assert NATIONAL_ID not in id_token
    assert NATIONAL_ID not in info
    assert id_token["given_name"] == "Aino"
    for entry in ctx.execute(db.select(ReleaseLogEntry)).scalars():
        assert NATIONAL_ID not in entry.claims


def test_the_entitled_client_receives_the_national_id_when_asked(flow):
    at_consent(flow, scope="openid national_id")
    flow.consent()
    id_token, info = released(flow, query(flow.resume()))
    assert id_token[NATIONAL_ID] == info[NATIONAL_ID] == "010170-999R"


@pytest.mark.parametrize(
    "claims",
    [
        "{not json",
        "[]",
        '"id_token"',
        '{"access_token": {}}',
        '{"id_token": []}',
        '{"id_token": {"birthdate": true}}',
        '{"id_token": {"birthdate": {"values": "1970-01-01"}}}',
    ],
)
def test_a_malformed_claims_parameter_is_invalid_request_and_stores_nothing(flow, ctx, claims):
    response = flow.authorize(claims=claims)
    assert response.status_code == 302
    params = query(response)
    assert params["error"] == "invalid_request"
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER
    assert "code" not in params
    assert counts(ctx, *ISSUED) == {model.__name__: 0 for model in ISSUED}


def years_ago(years: int, days: int = 0) -> str:
    today = datetime.date.today()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:  # today is 29 February
        then = today.replace(year=today.year - years, day=28)
    return (then + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    ("birthdate", "adult"),
    [
        ("1970-01-01", True),
        (years_ago(18), True),  # the 18th birthday is today
        (years_ago(18, days=1), False),  # tomorrow
        (years_ago(10), False),
    ],
)
def test_age_over_18_is_derived_from_the_birthdate_and_releases_nothing_else(
    flow, birthdate, adult
):
    flow.authorize(scope="openid age")
    flow.login(birthdate=birthdate)
    assert flow.resume().headers["Location"].endswith("/consent")
    assert "Whether you are 18 or older" in flow.consent_page().get_data(as_text=True)
    flow.consent()
    id_token, info = released(flow, query(flow.resume()))
    assert id_token[AGE_OVER_18] is adult
    assert info[AGE_OVER_18] is adult
    assert "birthdate" not in id_token
    assert "birthdate" not in info
