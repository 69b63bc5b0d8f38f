"""`client_secret_jwt` (RFC 7523 §2.2, OIDC Core §9): an HS256 assertion keyed by the secret.

The secret is stored sealed with KEY_ENCRYPTION_KEY (an HMAC cannot be checked against a hash).
The assertion has `iss` = `sub` = client_id, `aud` = the token endpoint (or the issuer, or /par
at /par), `exp`, and a `jti` used once; it authenticates at /token, /par and /revoke alike.
HS256 request objects (OIDC Core §6.1) are accepted from such clients only.
"""

from __future__ import annotations

import secrets
import time

import pytest
from click.testing import CliRunner
from joserfc import jwt
from joserfc.jwk import OctKey
from joserfc.jwk import RSAKey

from idp import clients
from idp.cli import main
from idp.oidc import client_secrets
from idp.storage.models import Client
from idp.storage.models import Interaction
from idp.storage.models import PushedRequest
from idp.storage.models import Token
from idp.storage.models import UsedJti
from tests.conftest import register
from tests.integration.test_request_objects import request_params
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.checks import update
from tests.support.flow import Flow
from tests.support.settings import TEST_SECRETS

ISSUER = "http://127.0.0.1:8400"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SECRET = "pension-shared-secret-0123456789-abcdefghij"


@pytest.fixture
def jwt_flow(browser, app) -> Flow:
    rp = register(
        app,
        client_id="pension",
        name="Pension",
        redirect_uris=["https://pension.example/cb"],
        token_endpoint_auth_method="client_secret_jwt",
        client_secret=SECRET,
    )
    return Flow(browser, rp)


def assertion(secret: str = SECRET, client_id: str = "pension", alg="HS256", **claims) -> str:
    """An HS256 client assertion (RFC 7523 §3); keywords override claims, None drops one."""
    issued = int(time.time())
    body = dict(
        iss=client_id,
        sub=client_id,
        aud=ISSUER + "/token",
        jti=secrets.token_urlsafe(16),
        iat=issued,
        exp=issued + 60,
    )
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    return jwt.encode({"alg": alg}, body, OctKey.import_key(secret), algorithms=[alg])


def authenticated(client_assertion: str, **data) -> dict:
    return {
        **data,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion,
    }


def redeem(flow: Flow, client_assertion: str, code: str | None = None):
    code = code or fresh_code(flow)
    data = dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=flow.rp.redirect_uri,
        code_verifier=flow.verifier,
    )
    return flow.browser.post("/token", data=authenticated(client_assertion, **data))


def fresh_code(flow: Flow) -> str:
    flow.authorize()
    return flow.login_and_consent()["code"]


def test_the_secret_is_stored_sealed_not_hashed(jwt_flow, app):
    (client,) = rows(app, Client)
    assert client.client_secret_hash is None
    assert SECRET not in client.client_secret_encrypted
    with app.app_context():
        assert client_secrets.open_secret(client) == SECRET


def test_a_client_secret_jwt_client_completes_a_code_flow(jwt_flow, app):
    response = redeem(jwt_flow, assertion())
    assert response.status_code == 200, response.get_json()
    assert "id_token" in response.get_json()
    assert count(app, UsedJti) == 1


def test_the_issuer_is_accepted_as_audience(jwt_flow):
    assert redeem(jwt_flow, assertion(aud=ISSUER)).status_code == 200


@pytest.mark.parametrize(
    "make",
    [
        lambda: assertion("another-secret-of-enough-length-0123456789"),
        lambda: assertion(aud="https://elsewhere.example/token"),
        lambda: assertion(aud=ISSUER + "/userinfo"),
        lambda: assertion(exp=int(time.time()) - 3600),
        lambda: assertion(exp=None),
        lambda: assertion(jti=None),
        lambda: assertion(iss="tax"),
        lambda: assertion(alg="HS384"),
        lambda: assertion(alg="HS512"),
        lambda: (
            "eyJhbGciOiJub25lIn0."
            + jwt.encode({"alg": "HS256"}, {"sub": "pension"}, OctKey.import_key(SECRET)).split(
                "."
            )[1]
            + "."
        ),
    ],
    ids=[
        "wrong-secret",
        "other-audience",
        "other-endpoint",
        "expired",
        "no-exp",
        "no-jti",
        "iss-not-sub",
        "hs384",
        "hs512",
        "alg-none",
    ],
)
def test_a_bad_assertion_is_invalid_client_and_nothing_is_issued(jwt_flow, app, make):
    response = redeem(jwt_flow, make())
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0
    assert count(app, UsedJti) == 0


def test_an_rs256_assertion_is_refused_for_a_secret_client(jwt_flow, app):
    key = RSAKey.generate_key(2048, private=True)
    issued = int(time.time())
    body = dict(iss="pension", sub="pension", aud=ISSUER + "/token", jti="j", exp=issued + 60)
    response = redeem(jwt_flow, jwt.encode({"alg": "RS256"}, body, key))
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


def test_a_replayed_jti_is_invalid_client(jwt_flow, app):
    assert redeem(jwt_flow, assertion(jti="once")).status_code == 200
    response = redeem(jwt_flow, assertion(jti="once"))
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 1


def test_the_secret_alone_does_not_authenticate_by_another_method(jwt_flow, app):
    code = fresh_code(jwt_flow)
    response = jwt_flow.exchange_code(code, auth=("pension", SECRET))
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


def test_an_hs256_assertion_cannot_pass_for_another_clients_method(flow, app):
    # `tax` uses client_secret_basic: an HMAC assertion in its name is not its method.
    flow.code = fresh_code(flow)
    response = redeem(flow, assertion(flow.rp.secret, client_id="tax"), code=flow.code)
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


def test_a_secret_moved_from_another_clients_row_cannot_be_opened(jwt_flow, app):
    register(
        app,
        client_id="library",
        name="Library",
        redirect_uris=["https://lib.example/cb"],
        token_endpoint_auth_method="client_secret_jwt",
        client_secret="library-secret-0123456789-abcdefghijklmn",
    )
    (library,) = rows(app, Client, Client.client_id == "library")
    update(
        app,
        Client,
        Client.client_id == "pension",
        client_secret_encrypted=library.client_secret_encrypted,
    )
    response = redeem(jwt_flow, assertion("library-secret-0123456789-abcdefghijklmn"))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, Token) == 0


def test_par_and_revocation_accept_the_assertion(jwt_flow, app):
    pushed = jwt_flow.browser.post(
        "/par", data=authenticated(assertion(aud=ISSUER + "/par"), **request_params(jwt_flow))
    )
    assert pushed.status_code == 201, pushed.get_json()
    tokens = redeem(jwt_flow, assertion()).get_json()
    revoked = jwt_flow.browser.post(
        "/revoke", data=authenticated(assertion(), token=tokens["refresh_token"])
    )
    assert revoked.status_code == 200
    assert rows(app, Token)[0].revoked_at is not None


def test_par_refuses_a_bad_assertion_and_stores_nothing(jwt_flow, app):
    response = jwt_flow.browser.post(
        "/par", data=authenticated(assertion(SECRET[::-1]), **request_params(jwt_flow))
    )
    assert response.get_json()["error"] == "invalid_client"
    assert count(app, PushedRequest) == 0


# HS256 request objects (OIDC Core §6.1): client_secret_jwt clients only


def hs256_object(flow: Flow, secret: str) -> str:
    now = int(time.time())
    claims = {
        "iss": flow.rp.client_id,
        "aud": ISSUER,
        "iat": now,
        "nbf": now,
        "exp": now + 300,
        "jti": secrets.token_urlsafe(12),
        **request_params(flow),
    }
    return jwt.encode({"alg": "HS256"}, claims, OctKey.import_key(secret), algorithms=["HS256"])


def send_object(flow: Flow, raw: str):
    return flow.browser.get(
        "/authorize", query_string={"client_id": flow.rp.client_id, "request": raw}
    )


def test_a_client_secret_jwt_client_may_mac_its_request_objects(jwt_flow, app):
    response = send_object(jwt_flow, hs256_object(jwt_flow, SECRET))
    assert response.status_code == 303
    jwt_flow.interaction = response.headers["Location"]
    assert "code" in jwt_flow.login_and_consent()


def test_an_hs256_object_with_the_wrong_secret_is_refused(jwt_flow, app):
    response = send_object(jwt_flow, hs256_object(jwt_flow, SECRET[::-1]))
    assert response.status_code == 400
    assert "invalid_request_object" in response.get_data(as_text=True)
    assert count(app, Interaction) == 0


@pytest.mark.parametrize("method", ["client_secret_basic", "none"])
def test_other_clients_may_not_mac_request_objects(browser, app, method):
    rp = register(
        app,
        client_id="other",
        name="Other",
        redirect_uris=["https://other.example/cb"],
        token_endpoint_auth_method=method,
        national_id_entitled=False,
        allowed_claims=["given_name"],
    )
    flow = Flow(browser, rp)
    response = send_object(flow, hs256_object(flow, rp.secret or "x" * 43))
    assert response.status_code == 400
    assert "invalid_request_object" in response.get_data(as_text=True)
    assert count(app, Interaction) == 0


# Registration and the command line


def test_a_generated_secret_is_printed_once_and_stored_sealed(clean, database):
    env = {f"SILTA_{k}": v for k, v in TEST_SECRETS.items()}
    env.update(SILTA_TESTING="1", SILTA_DATABASE_URL=database)
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "clients",
            "add",
            "--client-id",
            "pension",
            "--name",
            "Pension",
            "--redirect-uri",
            "https://pension.example/cb",
            "--token-endpoint-auth-method",
            "client_secret_jwt",
        ],
        env=env,
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "stored encrypted" in result.output
    secret = result.output.split("client_secret: ")[1].split()[0]
    (client,) = rows(clean, Client)
    assert client.token_endpoint_auth_method == "client_secret_jwt"
    with clean.app_context():
        assert client_secrets.open_secret(client) == secret
    shown = runner.invoke(main, ["clients", "show", "pension"], env=env).output
    assert secret not in shown and client.client_secret_encrypted not in shown


def test_reregistering_keeps_the_sealed_secret(jwt_flow, app):
    before = rows(app, Client)[0].client_secret_encrypted
    with app.app_context():
        _, generated = clients.register(
            dict(
                client_id="pension",
                name="Pension",
                redirect_uris=["https://pension.example/cb"],
                token_endpoint_auth_method="client_secret_jwt",
            )
        )
    assert generated is None
    assert rows(app, Client)[0].client_secret_encrypted == before
    assert redeem(jwt_flow, assertion()).status_code == 200


def test_a_short_secret_is_refused():
    with pytest.raises(clients.ClientError, match="at least 32"):
        clients.validate(
            dict(
                client_id="pension",
                name="Pension",
                redirect_uris=["https://pension.example/cb"],
                token_endpoint_auth_method="client_secret_jwt",
                client_secret="short",
            )
        )
