"""The consent page, remembered consent, and cancelling (ARCHITECTURE §3 step 5)."""

from __future__ import annotations

import pytest

from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import ConsentGrant
from idp.storage.models import Interaction
from idp.storage.models import LoginSession
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from tests.support.flow import ISSUER
from tests.support.flow import count
from tests.support.flow import counts
from tests.support.flow import csrf_token
from tests.support.flow import query

ISSUED = (AuthorizationCode, Token, ReleaseLogEntry, ConsentGrant)
NOTHING = {model.__name__: 0 for model in ISSUED}


def at_consent(flow, **authorize):
    flow.authorize(**authorize)
    flow.login()
    assert flow.resume().headers["Location"].endswith("/consent")
    return flow.consent_page()


def assert_access_denied(flow, response):
    assert response.status_code == 302
    assert response.headers["Location"].startswith(flow.rp.redirect_uri + "?")
    params = query(response)
    assert params["error"] == "access_denied"  # RFC 6749 §4.1.2.1
    assert params["state"] == flow.state
    assert params["iss"] == ISSUER
    assert "code" not in params


def interaction(ctx) -> Interaction:
    ctx.expire_all()
    return ctx.execute(db.select(Interaction)).scalar_one()


def test_the_page_names_the_service_its_purpose_and_each_claim_in_plain_words(flow):
    html = at_consent(flow, scope="openid profile age").get_data(as_text=True)
    assert "Pass your data to Tax Administration?" in html
    assert "To show your tax record." in html
    for words in (
        "Your first names",
        "Your family name",
        "Your full name",
        "Your date of birth",
        "Whether you are 18 or older (yes or no, not your age)",
    ):
        assert words in html
    assert "Remember this choice for Tax Administration" in html


def test_an_identifier_only_login_needs_no_consent(flow, ctx):
    flow.authorize(scope="openid")
    flow.login()
    assert "code" in query(flow.resume())
    assert interaction(ctx).consent is None


def test_without_data_claims_the_page_says_only_an_identifier_is_passed(flow):
    html = at_consent(flow, scope="openid", prompt="consent").get_data(as_text=True)
    assert "receives only an identifier" in html
    assert 'name="claim"' not in html


def test_declining_sends_access_denied_and_issues_nothing(flow, ctx):
    at_consent(flow)
    declined = flow.consent(allow=False, remember=True)
    assert declined.status_code == 303  # the screen hands the decline back to the protocol
    assert declined.headers["Location"].startswith("/authorize/resume/")
    assert_access_denied(flow, flow.resume())
    assert counts(ctx, *ISSUED) == NOTHING
    assert interaction(ctx).finished_at is not None
    assert flow.resume().status_code == 410  # the declined login cannot be taken up again


def test_remembered_consent_is_stored_and_skips_the_page_next_time(flow, ctx):
    at_consent(flow, scope="openid profile")
    flow.consent(claims=["given_name", "family_name"], remember=True)
    assert "code" in query(flow.resume())
    grant = ctx.execute(db.select(ConsentGrant)).scalar_one()
    assert grant.client_id == "tax"
    assert sorted(grant.requested) == sorted(["given_name", "family_name", "name", "birthdate"])
    assert sorted(grant.granted) == ["family_name", "given_name"]
    assert grant.revoked_at is None

    response = flow.authorize(scope="openid profile")
    assert response.status_code == 302  # straight back: no screens
    callback = query(response)
    tokens = flow.tokens(callback)
    info = flow.userinfo(tokens["access_token"]).get_json()
    assert info["given_name"] == "Aino" and info["family_name"] == "Virtanen"
    assert "birthdate" not in info  # the remembered choice, not the whole scope


def test_consent_not_remembered_is_asked_again(flow, ctx):
    at_consent(flow)
    flow.consent()
    flow.resume()
    assert counts(ctx, ConsentGrant)["ConsentGrant"] == 0
    flow.authorize()
    assert flow.resume().headers["Location"].endswith("/consent")


def test_a_later_request_for_more_claims_asks_again(flow, ctx):
    at_consent(flow, scope="openid profile")
    flow.consent(remember=True)
    flow.tokens(query(flow.resume()))
    first = ctx.execute(db.select(ConsentGrant)).scalar_one()

    flow.authorize(scope="openid profile age")
    assert flow.resume().headers["Location"].endswith("/consent")  # claims_missing
    html = flow.consent_page().get_data(as_text=True)
    assert "Whether you are 18 or older" in html
    flow.consent(remember=True)
    assert "code" in query(flow.resume())

    ctx.expire_all()
    grants = ctx.execute(db.select(ConsentGrant).order_by(ConsentGrant.id)).scalars().all()
    assert [g.id for g in grants] == [first.id, grants[1].id]
    assert grants[0].revoked_at is not None  # superseded by the wider grant
    assert grants[1].revoked_at is None
    assert "age_over_18" in grants[1].granted
    # Superseding is not withdrawing: the first login's tokens stay valid.
    assert ctx.execute(db.select(Token).filter(Token.revoked_at.is_not(None))).first() is None
    # And the same or fewer claims now need no page at all.
    assert flow.authorize(scope="openid age").status_code == 302


def test_a_narrower_request_than_the_remembered_one_skips_the_page(flow):
    at_consent(flow, scope="openid profile age")
    flow.consent(remember=True)
    flow.resume()
    response = flow.authorize(scope="openid age")
    assert response.status_code == 302
    assert "code" in query(response)


@pytest.mark.parametrize("token", [None, "", "forged-token"], ids=["missing", "empty", "forged"])
def test_consent_without_a_valid_csrf_token_is_refused_and_stores_nothing(flow, ctx, token):
    at_consent(flow)
    form = {"decision": "allow", "claim": ["given_name"], "remember": "yes"}
    if token is not None:
        form["csrf_token"] = token
    response = flow.browser.post(f"{flow.interaction}/consent", data=form)
    assert response.status_code == 400
    assert "<code>csrf</code>" in response.get_data(as_text=True)
    assert counts(ctx, *ISSUED) == NOTHING
    assert interaction(ctx).consent is None
    # The interaction is untouched: the citizen can still answer properly.
    assert flow.resume().headers["Location"].endswith("/consent")


def test_the_consent_page_cannot_be_framed(flow):
    page = at_consent(flow)
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_cancelling_at_the_method_choice_sends_access_denied(flow, ctx):
    flow.authorize()
    assert flow.cancel().headers["Location"].startswith("/authorize/resume/")
    assert_access_denied(flow, flow.resume())
    assert counts(ctx, *ISSUED, LoginSession) == {**NOTHING, "LoginSession": 0}
    assert interaction(ctx).finished_at is not None


def test_cancel_without_csrf_is_refused(flow, ctx):
    flow.authorize()
    response = flow.browser.post(f"{flow.interaction}/cancel")
    assert response.status_code == 400
    assert interaction(ctx).finished_at is None


def test_cancelling_inside_the_method_returns_to_the_method_choice(flow, ctx):
    flow.authorize()
    response = flow.login(cancel=True)
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location == f"{flow.interaction}?notice=cancelled"  # not an error to the service
    page = flow.browser.get(location)
    assert page.status_code == 200
    assert "You cancelled the identification." in page.get_data(as_text=True)
    assert counts(ctx, *ISSUED, LoginSession) == {**NOTHING, "LoginSession": 0}
    assert interaction(ctx).finished_at is None
    # The citizen may now choose again and finish.
    callback = flow.sign_in()
    assert callback["state"] == flow.state and "code" in callback


def test_switching_user_at_the_consent_stage_needs_csrf(flow, ctx):
    page = at_consent(flow)
    response = flow.browser.post(f"{flow.interaction}/switch")
    assert response.status_code == 400
    response = flow.browser.post(
        f"{flow.interaction}/switch", data={"csrf_token": csrf_token(page.get_data(as_text=True))}
    )
    assert response.status_code == 303
    ctx.expire_all()
    assert ctx.execute(db.select(LoginSession)).scalar_one().ended_at is not None
    assert flow.resume().status_code == 200  # back at the method choice, logged out


EERO = dict(national_id="020280-998S", given_name="Eero", family_name="Nieminen")


def consent_then_login_required(flow):
    """Aino is logged in; a prompt=login request lets her consent before logging in again."""
    flow.authorize(scope="openid profile")
    flow.login_and_consent()
    flow.authorize(scope="openid profile", prompt="login")
    flow.consent()  # Aino's session is live, so the consent page answers her
    assert flow.resume().status_code == 200  # the login the service asked for is still due


def test_a_consent_does_not_carry_over_to_another_person_logging_in(flow, ctx):
    consent_then_login_required(flow)
    flow.login(**EERO)  # someone else identifies at the method
    # OIDC Core §3.1.2.4: Eero decides about Eero's data, so he is asked himself.
    assert flow.resume().headers["Location"].endswith("/consent")
    flow.consent(claims=["given_name"])
    tokens = flow.tokens(query(flow.resume()))
    info = flow.userinfo(tokens["access_token"]).get_json()
    assert info == {"sub": info["sub"], "given_name": "Eero"}


def test_a_consent_does_not_carry_over_a_switch_of_user(flow, ctx):
    flow.authorize(scope="openid profile")
    flow.login()
    flow.resume()
    page = flow.consent_page()
    flow.browser.post(  # consent, but do not follow the redirect ...
        f"{flow.interaction}/consent",
        data={"csrf_token": csrf_token(page.get_data(as_text=True)), "decision": "allow"},
    )
    switch = flow.browser.post(  # ... and switch to another person instead
        f"{flow.interaction}/switch",
        data={"csrf_token": csrf_token(page.get_data(as_text=True))},
    )
    assert switch.status_code == 303
    flow.login(**EERO)
    assert flow.resume().headers["Location"].endswith("/consent")
    assert count(ctx, AuthorizationCode) == 0


def test_the_same_person_logging_in_again_keeps_the_consent_given(flow):
    consent_then_login_required(flow)
    flow.login()  # Aino again
    response = flow.resume()
    assert response.status_code == 302
    assert "code" in query(response)
