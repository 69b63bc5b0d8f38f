"""A real OIDC client library against a live broker on a free port (issue: "Done when").

Authlib's requests client runs the code flow with PKCE; a plain HTTP session plays the citizen's
browser through the real pages; PyJWT validates the ID token against the published JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

import jwt
import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session

from idp.extensions import db
from idp.storage.models import ReleaseLogEntry
from tests.conftest import register
from tests.support.flow import CITIZEN
from tests.support.flow import csrf_token

pytestmark = pytest.mark.live
REDIRECT_URI = "https://rp.example/cb"


def browse_to_callback(browser: requests.Session, base: str, url: str) -> str:
    """Follow the citizen's path through the broker's pages until the service's redirect URI."""
    for _ in range(12):
        response = browser.get(url, allow_redirects=False, timeout=10)
        location = response.headers.get("Location", "")
        if location.startswith(REDIRECT_URI):
            return location
        if response.status_code in (302, 303):
            url = location if location.startswith("http") else base + location
            continue
        html = response.text
        method_link = re.search(r'href="(/interaction/[^"]+/method/dev/)"', html)
        if method_link:
            url = base + method_link.group(1)
        elif 'name="national_id"' in html:
            form = {
                **CITIZEN,
                "acr": "http://ftn.ficora.fi/2017/loa2",
                "action": "login",
                "csrf_token": csrf_token(html),
            }
            response = browser.post(url + "continue", data=form, allow_redirects=False, timeout=10)
            url = base + response.headers["Location"]
        elif 'name="decision"' in html:
            claims = re.findall(r'name="claim" value="([^"]+)"', html)
            response = browser.post(
                url,
                data={"csrf_token": csrf_token(html), "claim": claims, "decision": "allow"},
                allow_redirects=False,
                timeout=10,
            )
            url = base + response.headers["Location"]
        else:
            raise AssertionError(f"unexpected page at {url}: {html[:300]}")
    raise AssertionError("the login never returned to the service")


def test_authlib_client_completes_a_code_flow_with_pkce_against_a_live_broker(live_broker):
    rp = register(live_broker.app, client_id="live-rp", redirect_uris=[REDIRECT_URI])
    metadata = requests.get(
        live_broker.url + "/.well-known/openid-configuration", timeout=10
    ).json()
    assert metadata["code_challenge_methods_supported"] == ["S256"]

    client = OAuth2Session(
        rp.client_id,
        rp.secret,
        scope="openid profile",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(24)
    url, state = client.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    callback = browse_to_callback(requests.Session(), live_broker.url, url)
    token = client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        code_verifier=verifier,
        state=state,
    )

    signing_key = jwt.PyJWKClient(metadata["jwks_uri"]).get_signing_key_from_jwt(token["id_token"])
    claims = jwt.decode(
        token["id_token"],
        signing_key.key,
        algorithms=["RS256", "ES256"],
        audience=rp.client_id,
        issuer=live_broker.url,
    )
    assert claims["nonce"] == nonce
    digest = hashlib.sha256(token["access_token"].encode()).digest()
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
    assert claims["given_name"] == CITIZEN["given_name"]

    userinfo = client.get(metadata["userinfo_endpoint"], timeout=10).json()
    assert userinfo["sub"] == claims["sub"]
    assert userinfo["birthdate"] == CITIZEN["birthdate"]

    with live_broker.app.app_context():
        entries = db.session.execute(db.select(ReleaseLogEntry)).scalars().all()
    assert [(e.client_id, e.channel) for e in entries] == [
        ("live-rp", "id_token"),
        ("live-rp", "userinfo"),
    ]
