"""The scope modules' common run: ask for scopes, consent to all shown, read both releases."""

from __future__ import annotations

from tests.support.checks import bearer

from .support import validate_id_token

PROFILE = {"given_name", "family_name", "name", "birthdate"}


def released(flow, browser, scope: str) -> tuple[dict, dict, dict]:
    """The token response, the verified ID token's claims and the userinfo answer."""
    tokens = flow.code_flow(scope=scope)
    claims = validate_id_token(
        browser, tokens["id_token"], flow.rp.client_id, flow.nonce, tokens["access_token"]
    )
    info = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
    assert info.status_code == 200
    return tokens, claims, info.get_json()


def scopes_supported(browser) -> list[str]:
    return browser.get("/.well-known/openid-configuration").get_json()["scopes_supported"]
