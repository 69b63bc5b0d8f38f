"""Subject identifiers: pairwise per sector, public on request (OIDC Core §8, §8.1)."""

from __future__ import annotations

import dataclasses

from idp.extensions import db
from idp.storage.models import Person
from tests.conftest import register
from tests.support.flow import Flow
from tests.support.flow import id_token_claims


def subject(flow, **authorize) -> str:
    """Log in (or SSO) to the flow's service; the `sub` of its ID token and of userinfo."""
    flow.authorize(**authorize)
    tokens = flow.tokens(flow.sign_in())
    sub = id_token_claims(flow.browser, tokens["id_token"])["sub"]
    assert flow.userinfo(tokens["access_token"]).get_json()["sub"] == sub  # §5.3.2
    return sub


def client(app, client_id: str, redirect_uri: str, **settings):
    return register(
        app, client_id=client_id, name=client_id.title(), redirect_uris=[redirect_uri], **settings
    )


def test_services_of_different_sectors_see_different_subjects(flow, browser, clean, ctx):
    library = client(clean, "library", "https://library.example/cb")
    tax_sub = subject(flow)
    library_sub = subject(Flow(browser, library))
    assert tax_sub != library_sub
    uid = ctx.execute(db.select(Person.uid)).scalar_one()
    assert uid not in (tax_sub, library_sub)  # the person's own key is never shown
    assert len(tax_sub) == len(library_sub) == 43  # base64url of HMAC-SHA-256


def test_services_sharing_a_sector_identifier_see_the_same_subject(browser, clean):
    parking = client(
        clean, "parking", "https://parking.example/cb", sector_identifier="city.example"
    )
    school = client(clean, "school", "https://school.example/cb", sector_identifier="city.example")
    library = client(clean, "library", "https://library.example/cb")
    parking_sub = subject(Flow(browser, parking))
    assert subject(Flow(browser, school)) == parking_sub
    assert subject(Flow(browser, library)) != parking_sub


def test_a_service_on_several_hosts_of_one_sector_sees_one_subject(browser, clean):
    www = register(
        clean,
        client_id="portal",
        name="Portal",
        redirect_uris=["https://www.portal.example/cb", "https://m.portal.example/cb"],
        sector_identifier="portal.example",  # §8.1: several hosts, one declared sector
    )
    mobile = dataclasses.replace(www, redirect_uri="https://m.portal.example/cb")
    assert subject(Flow(browser, www)) == subject(Flow(browser, mobile))


def test_a_public_client_sees_the_persons_uid(browser, clean, ctx):
    public = client(clean, "registry", "https://registry.example/cb", subject_type="public")
    sub = subject(Flow(browser, public))
    assert sub == ctx.execute(db.select(Person.uid)).scalar_one()


def test_the_subject_is_stable_across_logins_and_browsers(flow, clean):
    first = subject(flow)
    assert subject(flow) == first  # single sign-on
    assert subject(flow, prompt="login") == first  # a new login in the same browser
    elsewhere = Flow(clean.test_client(), flow.rp)
    assert subject(elsewhere) == first  # another browser, another session


def test_different_citizens_get_different_subjects(flow, clean):
    first = subject(flow)
    other = Flow(clean.test_client(), flow.rp)
    other.authorize()
    other.login(national_id="020280-998S", given_name="Eero")
    tokens = other.tokens(other.sign_in())
    assert id_token_claims(other.browser, tokens["id_token"])["sub"] != first
