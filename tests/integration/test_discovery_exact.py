"""Discovery advertises exactly what the broker does (OIDC Discovery 1.0 §3, RFC 8414 §2).

Each test takes an advertised list and exercises every value in it through the real endpoints;
a value with no exercise here fails the test (the `KeyError` of an unknown entry), so nothing is
advertised untested. Values just outside each list are refused, and the registration rules
accept exactly the advertised values, so nothing supported goes unadvertised.
"""

from __future__ import annotations

import secrets
import time

import pytest
from joserfc import jwe
from joserfc import jws
from joserfc import jwt
from joserfc.jwk import ECKey
from joserfc.jwk import OctKey
from joserfc.jwk import RSAKey

from idp import clients
from idp.oidc import keys
from tests.conftest import register
from tests.integration.test_dpop import proof as dpop_proof
from tests.support.checks import bearer
from tests.support.flow import LOA3
from tests.support.flow import Flow
from tests.support.flow import id_token_claims

ISSUER = "http://127.0.0.1:8400"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SECRET = "discovery-shared-secret-0123456789-abcdefgh"
RSA_SIG = RSAKey.generate_key(2048, parameters={"use": "sig", "kid": "rsa-sig"}, private=True)
EC_SIG = ECKey.generate_key("P-256", parameters={"use": "sig", "kid": "ec-sig"}, private=True)
RSA_ENC = RSAKey.generate_key(2048, parameters={"use": "enc", "kid": "rsa-enc"}, private=True)
EC_ENC = ECKey.generate_key("P-256", parameters={"use": "enc", "kid": "ec-enc"}, private=True)
JWKS = {"keys": [k.as_dict(private=False) for k in (RSA_SIG, EC_SIG, RSA_ENC, EC_ENC)]}
SIGNING_KEYS = {"RS256": RSA_SIG, "PS256": RSA_SIG, "ES256": EC_SIG, "RS384": RSA_SIG}
ENCRYPTION_KEYS = {"RSA-OAEP": RSA_ENC, "RSA-OAEP-256": RSA_ENC, "ECDH-ES": EC_ENC}


@pytest.fixture
def metadata(browser) -> dict:
    return browser.get("/.well-known/openid-configuration").get_json()


def client(app, client_id: str, **settings):
    """Register a service for one exercise; every service may use the whole claim set."""
    return register(
        app, client_id=client_id, redirect_uris=[f"https://{client_id}.example/cb"], **settings
    )


def callback(browser, rp, **authorize) -> tuple[Flow, dict]:
    flow = Flow(browser, rp)
    flow.authorize(**authorize)
    return flow, flow.sign_in()


def token_form(flow: Flow, code: str, **extra) -> dict:
    return dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=flow.rp.redirect_uri,
        code_verifier=flow.verifier,
        **extra,
    )


def assertion(key, alg: str, client_id: str) -> str:
    issued = int(time.time())
    body = dict(
        iss=client_id,
        sub=client_id,
        aud=ISSUER + "/token",
        jti=secrets.token_urlsafe(12),
        exp=issued + 60,
    )
    header = {"alg": alg, **({"kid": key.kid} if key.kid else {})}
    return jwt.encode(header, body, key, algorithms=[alg])


def assertion_form(key, alg: str, client_id: str) -> dict:
    return {
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion(key, alg, client_id),
    }


# Client authentication


AUTH_METHODS = {
    "client_secret_basic": (
        {},
        lambda flow, code: flow.browser.post(
            "/token", data=token_form(flow, code), auth=flow.rp.auth
        ),
    ),
    "client_secret_post": (
        {},
        lambda flow, code: flow.browser.post(
            "/token",
            data=token_form(flow, code, client_id=flow.rp.client_id, client_secret=flow.rp.secret),
        ),
    ),
    "client_secret_jwt": (
        {"client_secret": SECRET},
        lambda flow, code: flow.browser.post(
            "/token",
            data=token_form(
                flow, code, **assertion_form(OctKey.import_key(SECRET), "HS256", flow.rp.client_id)
            ),
        ),
    ),
    "private_key_jwt": (
        {"jwks": JWKS},
        lambda flow, code: flow.browser.post(
            "/token",
            data=token_form(flow, code, **assertion_form(RSA_SIG, "RS256", flow.rp.client_id)),
        ),
    ),
    "none": (
        {"national_id_entitled": False, "allowed_claims": ["given_name"]},
        lambda flow, code: flow.browser.post(
            "/token", data=token_form(flow, code, client_id=flow.rp.client_id)
        ),
    ),
}


@pytest.mark.parametrize(
    "field", ["token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported"]
)
def test_every_advertised_auth_method_authenticates_a_client(browser, app, metadata, field):
    assert set(metadata[field]) == set(clients.AUTH_METHODS)  # registration offers the same
    for number, method in enumerate(metadata[field]):
        settings, redeem = AUTH_METHODS[method]
        rp = client(app, f"auth-{number}", token_endpoint_auth_method=method, **settings)
        flow, answer = callback(browser, rp)
        response = redeem(flow, answer["code"])
        assert response.status_code == 200, (method, response.get_json())
        if field.startswith("revocation"):
            revoked = _revoke(flow, method, response.get_json()["refresh_token"])
            assert revoked.status_code == 200, (method, revoked.get_json())
            assert flow.userinfo(response.get_json()["access_token"]).status_code == 401, method


def _revoke(flow: Flow, method: str, token: str):
    form = {"token": token}
    if method == "client_secret_basic":
        return flow.browser.post("/revoke", data=form, auth=flow.rp.auth)
    if method == "client_secret_post":
        form.update(client_id=flow.rp.client_id, client_secret=flow.rp.secret)
    elif method == "client_secret_jwt":
        form.update(assertion_form(OctKey.import_key(SECRET), "HS256", flow.rp.client_id))
    elif method == "private_key_jwt":
        form.update(assertion_form(RSA_SIG, "RS256", flow.rp.client_id))
    else:
        form.update(client_id=flow.rp.client_id)
    return flow.browser.post("/revoke", data=form)


def test_every_advertised_assertion_algorithm_authenticates(browser, app, metadata):
    algs = metadata["token_endpoint_auth_signing_alg_values_supported"]
    assert algs == metadata["revocation_endpoint_auth_signing_alg_values_supported"]
    client(app, "pkjwt", token_endpoint_auth_method="private_key_jwt", jwks=JWKS)
    client(app, "csjwt", token_endpoint_auth_method="client_secret_jwt", client_secret=SECRET)
    for alg in [*algs, "RS384", "HS384"]:
        secret_based = alg.startswith("HS")
        rp_id, key = ("csjwt", OctKey.import_key(SECRET)) if secret_based else ("pkjwt", None)
        key = key or SIGNING_KEYS[alg]
        flow, answer = callback(browser, register_stub(rp_id))
        response = browser.post(
            "/token", data=token_form(flow, answer["code"], **assertion_form(key, alg, rp_id))
        )
        if alg in algs:
            assert response.status_code == 200, (alg, response.get_json())
        else:
            assert response.get_json()["error"] == "invalid_client", alg


def register_stub(client_id: str):
    """The registered client as the flow helper knows it (the exchange brings its own auth)."""
    from tests.support.flow import RegisteredClient

    return RegisteredClient(client_id, None, f"https://{client_id}.example/cb")


# Signing and encryption


def test_every_advertised_id_token_algorithm_signs(browser, app, metadata):
    algs = metadata["id_token_signing_alg_values_supported"]
    assert set(algs) == set(keys.SIGNING_ALGS)
    for alg in algs:
        rp = client(app, f"sig-{alg.lower()}", id_token_signed_response_alg=alg)
        tokens = Flow(browser, rp).code_flow()
        assert jws.extract_compact(tokens["id_token"].encode()).headers()["alg"] == alg
        assert id_token_claims(browser, tokens["id_token"])["aud"] == rp.client_id
    with pytest.raises(clients.ClientError):
        clients.validate(
            dict(
                client_id="x-1",
                name="X",
                redirect_uris=["https://x.example/cb"],
                id_token_signed_response_alg="PS256",
            )
        )


def _decrypt(token: str, alg: str, enc: str) -> bytes:
    return jwe.decrypt_compact(token, ENCRYPTION_KEYS[alg], algorithms=[alg, enc]).plaintext


def test_every_advertised_id_token_encryption_works(browser, app, metadata):
    pairs = [
        (alg, enc)
        for alg in metadata["id_token_encryption_alg_values_supported"]
        for enc in metadata["id_token_encryption_enc_values_supported"]
    ]
    for number, (alg, enc) in enumerate(pairs):
        rp = client(
            app,
            f"enc-{number}",
            jwks=JWKS,
            id_token_encrypted_response_alg=alg,
            id_token_encrypted_response_enc=enc,
        )
        tokens = Flow(browser, rp).code_flow()
        inner = _decrypt(tokens["id_token"], alg, enc).decode()
        assert id_token_claims(browser, inner)["aud"] == rp.client_id, (alg, enc)


def test_every_advertised_userinfo_signing_and_encryption_works(browser, app, metadata):
    algs = metadata["userinfo_signing_alg_values_supported"]
    enc_algs = metadata["userinfo_encryption_alg_values_supported"]
    encs = metadata["userinfo_encryption_enc_values_supported"]
    cases = [(alg, None, None) for alg in algs]
    cases += [(algs[0], enc_alg, encs[0]) for enc_alg in enc_algs]
    cases += [(algs[0], enc_algs[0], enc) for enc in encs]
    for number, (alg, enc_alg, enc) in enumerate(cases):
        settings = {"userinfo_signed_response_alg": alg}
        if enc_alg:
            settings.update(jwks=JWKS)
            settings.update(
                userinfo_encrypted_response_alg=enc_alg, userinfo_encrypted_response_enc=enc
            )
        rp = client(app, f"ui-{number}", **settings)
        tokens = Flow(browser, rp).code_flow()
        response = browser.get("/userinfo", headers=bearer(tokens["access_token"]))
        assert response.mimetype == "application/jwt"
        body = response.get_data(as_text=True)
        signed = _decrypt(body, enc_alg, enc).decode() if enc_alg else body
        assert jws.extract_compact(signed.encode()).headers()["alg"] == alg
        assert id_token_claims(browser, signed)["aud"] == rp.client_id


def _request_object(rp_id: str, key, alg: str) -> str:
    from tests.integration.test_request_objects import request_params

    flow = Flow(None, register_stub(rp_id))
    now = int(time.time())
    claims = {
        "iss": rp_id,
        "aud": ISSUER,
        "nbf": now,
        "exp": now + 300,
        "jti": secrets.token_urlsafe(12),
    }
    header = {"alg": alg, **({"kid": key.kid} if key.kid else {})}
    return jwt.encode(header, {**claims, **request_params(flow)}, key, algorithms=[alg])


def test_every_advertised_request_object_algorithm_is_accepted(browser, app, metadata):
    algs = metadata["request_object_signing_alg_values_supported"]
    client(app, "ro-keys", token_endpoint_auth_method="private_key_jwt", jwks=JWKS)
    client(app, "ro-secret", token_endpoint_auth_method="client_secret_jwt", client_secret=SECRET)
    for alg in [*algs, "RS384", "HS384"]:
        secret_based = alg.startswith("HS")
        rp_id = "ro-secret" if secret_based else "ro-keys"
        key = OctKey.import_key(SECRET) if secret_based else SIGNING_KEYS[alg]
        raw = _request_object(rp_id, key, alg)
        response = browser.get("/authorize", query_string={"client_id": rp_id, "request": raw})
        expected = 303 if alg in algs else 400
        assert response.status_code == expected, (alg, response.get_data(as_text=True)[:300])


def test_every_advertised_dpop_algorithm_binds_a_token(browser, app, metadata):
    algs = metadata["dpop_signing_alg_values_supported"]
    rsa = RSAKey.generate_key(2048, private=True)
    ec = ECKey.generate_key("P-256", private=True)
    rp = client(app, "dpop")
    for alg in [*algs, "RS256", "ES384"]:
        key = rsa if alg.startswith(("PS", "RS")) else ec
        header = {"alg": alg}
        if alg == "ES384":
            key = ECKey.generate_key("P-384", private=True)
            header["jwk"] = key.as_dict(private=False)
        flow, answer = callback(browser, rp)
        response = browser.post(
            "/token",
            data=token_form(flow, answer["code"]),
            auth=rp.auth,
            headers={"DPoP": dpop_proof(key, header=header)},
        )
        if alg in algs:
            assert response.get_json()["token_type"] == "DPoP", (alg, response.get_json())
        else:
            assert response.get_json()["error"] == "invalid_dpop_proof", alg


# The authorization request and the grants


def test_only_the_advertised_response_types_and_modes_are_served(browser, app, metadata):
    rp = client(app, "modes")
    assert metadata["response_types_supported"] == ["code"]
    for response_type in ("token", "id_token", "code id_token", "code token", "none"):
        flow = Flow(browser, rp)
        flow.authorize(response_type=response_type)
        location = flow.last.headers.get("Location", "")
        assert "error=unsupported_response_type" in location, response_type
    for mode in metadata["response_modes_supported"]:
        flow = Flow(browser, rp)
        flow.authorize(response_mode=mode)
        if mode == "query":
            assert "code" in flow.sign_in()
            continue
        flow.login()
        response = flow.resume()
        if response.headers.get("Location", "").endswith("/consent"):
            flow.consent()
            response = flow.resume()
        assert response.status_code == 200, mode
        assert 'name="code"' in response.get_data(as_text=True)
    flow = Flow(browser, rp)
    flow.authorize(response_mode="fragment")
    assert "error=invalid_request" in flow.last.headers.get("Location", "")


def test_only_the_advertised_grant_types_are_served(browser, app, metadata):
    assert "implicit" not in metadata["grant_types_supported"]
    rp = client(app, "grants")
    tokens = Flow(browser, rp).code_flow()
    assert set(metadata["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    refreshed = browser.post(
        "/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        auth=rp.auth,
    )
    assert refreshed.status_code == 200
    for grant_type in (
        "client_credentials",
        "password",
        "implicit",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:token-exchange",
    ):
        response = browser.post("/token", data={"grant_type": grant_type}, auth=rp.auth)
        assert response.get_json()["error"] == "unsupported_grant_type", grant_type


def test_only_s256_is_a_code_challenge_method(browser, app, metadata):
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    flow = Flow(browser, client(app, "pkce"))
    flow.authorize(code_challenge_method="plain")
    assert "error=invalid_request" in flow.last.headers["Location"]


def test_every_advertised_scope_subject_type_and_acr_works(browser, app, metadata):
    scopes = metadata["scopes_supported"]
    for subject_type in metadata["subject_types_supported"]:
        rp = client(app, f"sub-{subject_type}", subject_type=subject_type, allowed_scopes=scopes)
        tokens = Flow(browser, rp).code_flow(scope=" ".join(scopes))
        assert set(tokens["scope"].split()) == set(scopes)
        claims = id_token_claims(browser, tokens["id_token"])
        released = set(claims) - {"at_hash"}
        assert released <= set(metadata["claims_supported"]), released
    rp = client(app, "acr")
    for value in metadata["acr_values_supported"]:
        flow = Flow(browser, rp)
        flow.authorize(acr_values=value, prompt="login")
        answer = flow.sign_in(acr=LOA3)
        tokens = flow.tokens(answer)
        acr = id_token_claims(browser, tokens["id_token"])["acr"]
        assert acr in metadata["acr_values_supported"]
        assert acr.split("/")[2] == value.split("/")[2]  # answered in the vocabulary asked in


def test_every_advertised_endpoint_is_served_and_nothing_else_is_claimed(browser, metadata):
    for name, url in metadata.items():
        if name.endswith(("_endpoint", "_uri")) and name != "issuer":
            path = url.removeprefix(ISSUER)
            served = browser.get(path).status_code, browser.post(path).status_code
            assert 404 not in served, name
    for unoffered in (
        "introspection_endpoint",
        "registration_endpoint",
        "device_authorization_endpoint",
        "check_session_iframe",
        "frontchannel_logout_supported",
    ):
        assert unoffered not in metadata
    assert browser.get("/introspect").status_code == 404
