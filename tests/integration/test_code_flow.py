"""The authorization code flow with PKCE, from /authorize to userinfo (OIDC Core §3.1)."""

from __future__ import annotations

import hashlib

from joserfc import jwt
from joserfc.jwk import KeySet

from idp.audit import release_log
from idp.extensions import db
from idp.storage.models import AuthorizationCode
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from tests.support.flow import query


def verify_id_token(browser, rp, id_token: str) -> dict:
    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    token = jwt.decode(id_token, jwks, algorithms=["RS256", "ES256"])
    return dict(token.claims)


def test_authorize_stores_an_interaction_and_redirects_to_the_method_choice(flow):
    response = flow.authorize()
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/interaction/")
    page = flow.method_choice()
    assert page.status_code == 200
    assert "Tax Administration" in page.get_data(as_text=True)


def test_full_code_flow_issues_a_verifiable_id_token_with_consented_claims(flow, browser, rp, ctx):
    tokens = flow.code_flow()
    claims = verify_id_token(browser, rp, tokens["id_token"])
    assert claims["iss"] == "http://127.0.0.1:8400"
    assert claims["aud"] == rp.client_id
    assert claims["nonce"] == flow.nonce
    assert claims["acr"] == "http://ftn.ficora.fi/2017/loa2"
    assert claims["amr"] == ["pwd"]
    assert {"auth_time", "sid", "at_hash", "exp", "iat", "sub"} <= set(claims)
    assert claims["given_name"] == "Aino"
    assert "urn:oid:1.2.246.21" not in claims  # not asked for: scope was openid profile
    info = browser.get("/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200
    assert info.get_json()["sub"] == claims["sub"]
    assert info.get_json()["family_name"] == "Virtanen"
    entries = ctx.execute(db.select(ReleaseLogEntry)).scalars().all()
    assert [e.channel for e in entries] == ["id_token", "userinfo"]
    assert release_log.verify(entries[0].person_id).ok


def test_callback_carries_state_and_iss(flow):
    flow.authorize()
    callback = flow.login_and_consent()
    assert callback["state"] == flow.state
    assert callback["iss"] == "http://127.0.0.1:8400"  # RFC 9207 §2
    assert len(callback["code"]) >= 43


def test_code_and_tokens_are_stored_hashed(flow, ctx):
    flow.authorize()
    callback = flow.login_and_consent()
    tokens = flow.exchange_code(callback["code"]).get_json()
    code = ctx.execute(db.select(AuthorizationCode)).scalar_one()
    token = ctx.execute(db.select(Token)).scalar_one()
    assert code.code_hash == hashlib.sha256(callback["code"].encode()).hexdigest()
    assert token.access_token_hash == hashlib.sha256(tokens["access_token"].encode()).hexdigest()
    assert token.refresh_token_hash == hashlib.sha256(tokens["refresh_token"].encode()).hexdigest()
    stored = {code.code_hash, token.access_token_hash, token.refresh_token_hash}
    assert not stored & {callback["code"], tokens["access_token"], tokens["refresh_token"]}


def test_form_post_response_mode_posts_code_state_and_iss(flow):
    flow.authorize(response_mode="form_post")
    flow.login()
    response = flow.resume()
    if response.headers.get("Location", "").endswith("/consent"):
        flow.consent()
        response = flow.resume()
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'action="https://tax.example/callback"' in html
    assert 'name="code"' in html and 'name="iss"' in html and f'value="{flow.state}"' in html
    assert "form-action https://tax.example" in response.headers["Content-Security-Policy"]


def test_second_login_to_the_same_service_is_single_sign_on(flow):
    flow.code_flow()
    flow.interaction = None
    remembered = flow.authorize()
    # Consent was not remembered, so the second visit asks again; but no login is needed.
    assert remembered.status_code == 303
    page = flow.resume()
    assert page.headers["Location"].endswith("/consent")


def test_remembered_consent_gives_a_code_straight_from_authorize(flow):
    flow.authorize()
    flow.login_and_consent(remember=True)
    response = flow.authorize()
    assert response.status_code == 302
    assert query(response)["state"] == flow.state
