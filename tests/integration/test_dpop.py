"""DPoP (RFC 9449): proofs at /token, /par and /userinfo, bound tokens, nonces, `dpop_jkt`.

§4.3 lists the proof checks; §5 the token request (`token_type: DPoP`, public clients' refresh
tokens bound to the key); §7 the resource (`Authorization: DPoP`, `ath`, a Bearer presentation
of a bound token refused); §8 and §9 nonces; §10 `dpop_jkt`, also through PAR (§10.1). Every
refusal asserts its exact error code and that nothing was issued or spent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey
from joserfc.jwk import OctKey
from joserfc.jwk import RSAKey

from idp.oidc import dpop
from idp.storage.models import AuthorizationCode
from idp.storage.models import PushedRequest
from idp.storage.models import ReleaseLogEntry
from idp.storage.models import Token
from idp.storage.models import UsedJti
from tests.conftest import register
from tests.support.checks import count
from tests.support.checks import rows
from tests.support.flow import Flow
from tests.support.flow import query

ISSUER = "http://127.0.0.1:8400"
TOKEN_URL = ISSUER + "/token"
USERINFO_URL = ISSUER + "/userinfo"
KEY = ECKey.generate_key("P-256", private=True)
OTHER_KEY = ECKey.generate_key("P-256", private=True)
RSA_KEY = RSAKey.generate_key(2048, private=True)


def proof(key=KEY, htm="POST", htu=TOKEN_URL, header=None, **claims) -> str:
    """A DPoP proof JWT (§4.2); keywords override claims, None drops one."""
    body = dict(jti=secrets.token_urlsafe(16), htm=htm, htu=htu, iat=int(time.time()))
    body.update(claims)
    alg = "PS256" if isinstance(key, RSAKey) else "ES256"
    head = {"typ": "dpop+jwt", "alg": alg, "jwk": key.as_dict(private=False)}
    head.update(header or {})
    return jwt.encode(
        {k: v for k, v in head.items() if v is not None},
        {k: v for k, v in body.items() if v is not None},
        key,
        algorithms=[head["alg"]],
    )


def ath(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def b64(part: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def redeem(flow: Flow, code: str, dpop_proof: str | None = None, **headers):
    if dpop_proof is not None:
        headers["DPoP"] = dpop_proof
    data = dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=flow.rp.redirect_uri,
        code_verifier=flow.verifier,
    )
    return flow.browser.post("/token", data=data, auth=flow.rp.auth, headers=headers)


def userinfo(browser, access_token: str, dpop_proof: str | None, scheme="DPoP", method="GET"):
    headers = {"Authorization": f"{scheme} {access_token}"}
    if dpop_proof is not None:
        headers["DPoP"] = dpop_proof
    return browser.open("/userinfo", method=method, headers=headers)


def fresh_code(flow: Flow, **authorize) -> str:
    flow.authorize(**authorize)
    return flow.login_and_consent()["code"]


def assert_nothing_issued(app) -> None:
    assert count(app, Token) == 0
    assert all(code.used_at is None for code in rows(app, AuthorizationCode))


@pytest.fixture
def bound(flow, app) -> dict:
    """A DPoP-bound token response of the `tax` client."""
    response = redeem(flow, fresh_code(flow), proof())
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# The token endpoint (§5)


def test_a_proof_at_the_token_endpoint_binds_the_access_token_to_its_key(bound, app):
    assert bound["token_type"] == "DPoP"
    (token,) = rows(app, Token)
    assert token.dpop_jkt == KEY.thumbprint()  # RFC 7638 SHA-256 thumbprint, the cnf.jkt
    assert count(app, UsedJti) == 1


def test_without_a_proof_the_token_stays_a_bearer_token(flow, app):
    response = redeem(flow, fresh_code(flow))
    assert response.get_json()["token_type"] == "Bearer"
    assert rows(app, Token)[0].dpop_jkt is None


def test_a_ps256_proof_and_an_htu_with_a_query_are_accepted(flow):
    # §4.3 item 9: htu is compared without its query and fragment.
    response = redeem(flow, fresh_code(flow), proof(RSA_KEY, htu=TOKEN_URL + "?x=1#f"))
    assert response.status_code == 200, response.get_json()


def unsigned(header: dict, body: dict) -> str:
    return f"{b64(header)}.{b64(body)}."


def signed_by_other_key() -> str:
    head = {"typ": "dpop+jwt", "alg": "ES256", "jwk": KEY.as_dict(private=False)}
    body = dict(jti="j", htm="POST", htu=TOKEN_URL, iat=int(time.time()))
    return jwt.encode(head, body, OTHER_KEY, algorithms=["ES256"])


BAD_PROOFS = {
    "typ-jwt": lambda: proof(header={"typ": "JWT"}),
    "no-typ": lambda: proof(header={"typ": None}),
    "alg-none": lambda: unsigned(
        {"typ": "dpop+jwt", "alg": "none", "jwk": KEY.as_dict(private=False)},
        dict(jti="j", htm="POST", htu=TOKEN_URL, iat=int(time.time())),
    ),
    "hs256": lambda: jwt.encode(
        {"typ": "dpop+jwt", "alg": "HS256", "jwk": {"kty": "oct", "k": "c2VjcmV0"}},
        dict(jti="j", htm="POST", htu=TOKEN_URL, iat=int(time.time())),
        OctKey.import_key("s" * 32),
        algorithms=["HS256"],
    ),
    "rs256-not-allowed": lambda: proof(RSA_KEY, header={"alg": "RS256"}),
    "es256-with-rsa-key": lambda: proof(header={"jwk": RSA_KEY.as_dict(private=False)}),
    "private-jwk": lambda: proof(header={"jwk": KEY.as_dict(private=True)}),
    "no-jwk": lambda: proof(header={"jwk": None}),
    "signed-by-another-key": signed_by_other_key,
    "wrong-htm": lambda: proof(htm="GET"),
    "wrong-htu": lambda: proof(htu=ISSUER + "/par"),
    "other-host": lambda: proof(htu="https://evil.example/token"),
    "old-iat": lambda: proof(iat=int(time.time()) - 120),
    "future-iat": lambda: proof(iat=int(time.time()) + 120),
    "no-iat": lambda: proof(iat=None),
    "no-jti": lambda: proof(jti=None),
    "no-htm": lambda: proof(htm=None),
    "garbage": lambda: "not-a-jwt",
    "two-jwts": lambda: proof() + "," + proof(),
}


@pytest.mark.parametrize("make", BAD_PROOFS.values(), ids=BAD_PROOFS.keys())
def test_a_bad_proof_is_invalid_dpop_proof_and_nothing_is_issued(flow, app, make):
    response = redeem(flow, fresh_code(flow), make())
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_dpop_proof"
    assert_nothing_issued(app)
    assert count(app, UsedJti) == 0


def test_two_dpop_headers_are_refused(flow, app):
    code = fresh_code(flow)
    data = dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=flow.rp.redirect_uri,
        code_verifier=flow.verifier,
    )
    response = flow.browser.post(
        "/token", data=data, auth=flow.rp.auth, headers=[("DPoP", proof()), ("DPoP", proof())]
    )
    assert response.get_json()["error"] == "invalid_dpop_proof"
    assert_nothing_issued(app)


def test_a_replayed_proof_is_refused(bound, flow, app):
    used = proof(jti="once")
    assert redeem(flow, fresh_code(flow), used).status_code == 200
    response = redeem(flow, fresh_code(flow), used)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_dpop_proof"
    assert count(app, Token) == 2  # the fixture's and the first redemption's
    assert rows(app, AuthorizationCode)[-1].used_at is None


def test_a_client_registered_for_dpop_must_send_a_proof(browser, app):
    rp = register(app, dpop_bound_access_tokens=True)
    flow = Flow(browser, rp)
    response = redeem(flow, fresh_code(flow))
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_dpop_proof"
    assert_nothing_issued(app)
    assert redeem(flow, fresh_code(flow), proof()).get_json()["token_type"] == "DPoP"


# Nonces (§8, §9)


@pytest.fixture
def nonces(app, monkeypatch):
    monkeypatch.setitem(app.config, "DPOP_NONCE_REQUIRED", True)


def test_the_token_endpoint_demands_its_nonce_and_then_accepts_it(nonces, flow, app):
    code = fresh_code(flow)
    first = redeem(flow, code, proof())
    assert first.status_code == 400
    assert first.get_json()["error"] == "use_dpop_nonce"
    nonce = first.headers["DPoP-Nonce"]
    assert_nothing_issued(app)
    assert count(app, UsedJti) == 0
    second = redeem(flow, code, proof(nonce=nonce))
    assert second.status_code == 200, second.get_json()
    assert second.headers["DPoP-Nonce"]  # the nonce for the next proof


def test_an_unknown_nonce_gets_use_dpop_nonce(nonces, flow, app):
    response = redeem(flow, fresh_code(flow), proof(nonce="made-up"))
    assert response.get_json()["error"] == "use_dpop_nonce"
    assert response.headers["DPoP-Nonce"] != "made-up"
    assert_nothing_issued(app)


def test_nonces_rotate_with_their_window(app, monkeypatch):
    with app.test_request_context():
        nonce = dpop.current_nonce()
        assert dpop.nonce_is_fresh(nonce)
        lifetime = app.config["DPOP_NONCE_LIFETIME"]
        later = time.time() + lifetime
        monkeypatch.setattr(dpop.time, "time", lambda: later)
        assert dpop.nonce_is_fresh(nonce)  # the next window still accepts it
        assert dpop.current_nonce() != nonce  # rotated
        monkeypatch.setattr(dpop.time, "time", lambda: later + lifetime)
        assert not dpop.nonce_is_fresh(nonce)


def test_userinfo_demands_its_nonce_with_a_dpop_challenge(bound, browser, app, monkeypatch):
    monkeypatch.setitem(app.config, "DPOP_NONCE_REQUIRED", True)
    access = bound["access_token"]
    first = userinfo(browser, access, proof(htm="GET", htu=USERINFO_URL, ath=ath(access)))
    assert first.status_code == 401
    assert first.headers["WWW-Authenticate"].startswith('DPoP error="use_dpop_nonce"')
    nonce = first.headers["DPoP-Nonce"]
    second = userinfo(
        browser, access, proof(htm="GET", htu=USERINFO_URL, ath=ath(access), nonce=nonce)
    )
    assert second.status_code == 200
    assert second.headers["DPoP-Nonce"]


# The protected resource: /userinfo (§7)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_userinfo_accepts_a_bound_token_with_its_proof(bound, browser, app, method):
    access = bound["access_token"]
    response = userinfo(
        browser, access, proof(htm=method, htu=USERINFO_URL, ath=ath(access)), method=method
    )
    assert response.status_code == 200
    assert response.get_json()["given_name"] == "Aino"
    assert count(app, ReleaseLogEntry) == 2  # the ID token's and this answer's


def test_a_bound_token_presented_as_bearer_is_refused(bound, browser, app):
    response = userinfo(browser, bound["access_token"], None, scheme="Bearer")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith('DPoP error="invalid_token"')
    assert count(app, ReleaseLogEntry) == 1


def refused_at_userinfo(response, app, error: str) -> None:
    assert response.status_code == 401
    assert response.get_json()["error"] == error
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith(f'DPoP error="{error}"')
    assert 'algs="ES256 PS256"' in challenge
    assert count(app, ReleaseLogEntry) == 1


def test_a_proof_by_another_key_is_invalid_token(bound, browser, app):
    access = bound["access_token"]
    response = userinfo(browser, access, proof(OTHER_KEY, "GET", USERINFO_URL, ath=ath(access)))
    refused_at_userinfo(response, app, "invalid_token")


def test_a_bearer_token_presented_as_dpop_is_invalid_token(flow, browser, app):
    access = redeem(flow, fresh_code(flow)).get_json()["access_token"]
    response = userinfo(browser, access, proof(htm="GET", htu=USERINFO_URL, ath=ath(access)))
    refused_at_userinfo(response, app, "invalid_token")


def test_an_unknown_dpop_token_is_invalid_token(flow, browser, app):
    flow.code_flow()
    response = userinfo(browser, "x" * 43, proof(htm="GET", htu=USERINFO_URL, ath=ath("x" * 43)))
    refused_at_userinfo(response, app, "invalid_token")


@pytest.mark.parametrize(
    "make",
    [
        lambda access: None,
        lambda access: proof(htm="GET", htu=USERINFO_URL),
        lambda access: proof(htm="GET", htu=USERINFO_URL, ath=ath("another")),
        lambda access: proof(htm="POST", htu=USERINFO_URL, ath=ath(access)),
        lambda access: proof(htm="GET", htu=TOKEN_URL, ath=ath(access)),
    ],
    ids=["no-proof", "no-ath", "wrong-ath", "wrong-htm", "wrong-htu"],
)
def test_a_bad_proof_at_userinfo_is_invalid_dpop_proof(bound, browser, app, make):
    access = bound["access_token"]
    response = userinfo(browser, access, make(access))
    refused_at_userinfo(response, app, "invalid_dpop_proof")


def test_a_proof_is_used_once_at_userinfo_too(bound, browser, app):
    access = bound["access_token"]
    used = proof(htm="GET", htu=USERINFO_URL, ath=ath(access))
    assert userinfo(browser, access, used).status_code == 200
    response = userinfo(browser, access, used)
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_dpop_proof"
    assert count(app, ReleaseLogEntry) == 2


# dpop_jkt (§10) and PAR (§10.1)


def test_a_code_bound_by_dpop_jkt_is_redeemed_only_with_that_key(flow, app):
    code = fresh_code(flow, dpop_jkt=KEY.thumbprint())
    assert rows(app, AuthorizationCode)[0].dpop_jkt == KEY.thumbprint()
    for attempt in (None, proof(OTHER_KEY)):
        response = redeem(flow, code, attempt)
        assert response.status_code == 400
        assert response.get_json()["error"] == "invalid_grant"
        assert_nothing_issued(app)
    assert count(app, UsedJti) == 0
    assert redeem(flow, code, proof()).get_json()["token_type"] == "DPoP"


def test_a_malformed_dpop_jkt_is_invalid_request(flow, app):
    flow.authorize(dpop_jkt="not-a-thumbprint")
    assert query(flow.last)["error"] == "invalid_request"
    assert count(app, AuthorizationCode) == 0


def par_params(flow: Flow, **extra) -> dict:
    from tests.integration.test_request_objects import request_params

    return request_params(flow, **extra)


def push(flow: Flow, dpop_proof: str | None, **extra):
    headers = {"DPoP": dpop_proof} if dpop_proof else {}
    return flow.browser.post(
        "/par", auth=flow.rp.auth, data=par_params(flow, **extra), headers=headers
    )


def authorize_pushed(flow: Flow, request_uri: str) -> str:
    response = flow.browser.get(
        "/authorize", query_string={"client_id": flow.rp.client_id, "request_uri": request_uri}
    )
    assert response.status_code == 303
    flow.interaction = response.headers["Location"]
    return flow.login_and_consent()["code"]


def test_a_proof_at_par_binds_the_code_to_its_key(flow, app):
    pushed = push(flow, proof(htu=ISSUER + "/par"))
    assert pushed.status_code == 201, pushed.get_json()
    assert rows(app, PushedRequest)[0].params["dpop_jkt"] == KEY.thumbprint()
    code = authorize_pushed(flow, pushed.get_json()["request_uri"])
    response = redeem(flow, code, proof(OTHER_KEY))
    assert response.get_json()["error"] == "invalid_grant"
    assert redeem(flow, code, proof()).get_json()["token_type"] == "DPoP"


def test_dpop_jkt_may_travel_in_the_pushed_request(flow):
    pushed = push(flow, None, dpop_jkt=KEY.thumbprint())
    code = authorize_pushed(flow, pushed.get_json()["request_uri"])
    assert redeem(flow, code, proof(OTHER_KEY)).get_json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("dpop_proof", "extra", "error"),
    [
        (
            lambda: proof(htu=ISSUER + "/par"),
            {"dpop_jkt": OTHER_KEY.thumbprint()},
            "invalid_request",
        ),
        (lambda: proof(htu=TOKEN_URL), {}, "invalid_dpop_proof"),
        (lambda: proof(htu=ISSUER + "/par", header={"typ": "JWT"}), {}, "invalid_dpop_proof"),
    ],
    ids=["jkt-mismatch", "wrong-htu", "wrong-typ"],
)
def test_par_refuses_a_bad_proof_and_stores_nothing(flow, app, dpop_proof, extra, error):
    response = push(flow, dpop_proof(), **extra)
    assert response.status_code == 400
    assert response.get_json()["error"] == error
    assert count(app, PushedRequest) == 0
    assert count(app, UsedJti) == 0


# Refresh tokens (§5)


@pytest.fixture
def public_flow(browser, app) -> Flow:
    rp = register(
        app,
        client_id="citizen-app",
        name="Citizen App",
        redirect_uris=["https://app.example/cb"],
        token_endpoint_auth_method="none",
        allowed_scopes=["openid", "profile"],
        allowed_claims=["given_name"],
        national_id_entitled=False,
    )
    return Flow(browser, rp)


def refresh(flow: Flow, token: str, dpop_proof: str | None):
    data = {"grant_type": "refresh_token", "refresh_token": token}
    headers = {"DPoP": dpop_proof} if dpop_proof else {}
    if flow.rp.secret is None:
        data["client_id"] = flow.rp.client_id
        return flow.browser.post("/token", data=data, headers=headers)
    return flow.browser.post("/token", data=data, auth=flow.rp.auth, headers=headers)


def public_tokens(flow: Flow) -> dict:
    code = fresh_code(flow)
    data = dict(
        grant_type="authorization_code",
        code=code,
        client_id=flow.rp.client_id,
        redirect_uri=flow.rp.redirect_uri,
        code_verifier=flow.verifier,
    )
    response = flow.browser.post("/token", data=data, headers={"DPoP": proof()})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_public_clients_refresh_token_is_bound_to_its_key(public_flow, app):
    tokens = public_tokens(public_flow)
    for attempt in (None, proof(OTHER_KEY)):
        response = refresh(public_flow, tokens["refresh_token"], attempt)
        assert response.status_code == 400
        assert response.get_json()["error"] == "invalid_grant"
        assert count(app, Token) == 1
        assert rows(app, Token)[0].revoked_at is None  # not rotated away
    response = refresh(public_flow, tokens["refresh_token"], proof())
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["token_type"] == "DPoP"
    assert rows(app, Token)[-1].dpop_jkt == KEY.thumbprint()


def test_a_confidential_client_may_refresh_with_a_new_key(bound, flow, app):
    response = refresh(flow, bound["refresh_token"], proof(OTHER_KEY))
    assert response.status_code == 200, response.get_json()
    assert rows(app, Token)[-1].dpop_jkt == OTHER_KEY.thumbprint()


# The relying-party guide's worked example, run as written against a live broker


def guide_example() -> str:
    from pathlib import Path

    guide = Path(__file__).resolve().parents[2] / "docs" / "relying-party-guide.md"
    blocks = guide.read_text().split("```python\n")
    (example,) = [b.split("```")[0] for b in blocks if "def with_dpop(" in b]
    return example


@pytest.mark.live
def test_the_guides_worked_example_runs(live_broker):
    live = live_broker
    live.app.config["DPOP_NONCE_REQUIRED"] = True
    secret = "library-secret-for-the-guide-0123456789"
    rp = register(
        live.app,
        client_id="library",
        name="City Library",
        redirect_uris=["http://127.0.0.1:5000/callback"],
        client_secret=secret,
    )
    flow = Flow(live.app.test_client(), rp)
    code = fresh_code(flow)
    example = guide_example().replace('"http://127.0.0.1:8400"', repr(live.url))
    scope = {"CODE": code, "CODE_VERIFIER": flow.verifier, "CLIENT_SECRET": secret}
    exec(compile(example, "relying-party-guide.md", "exec"), scope)
    assert scope["tokens"]["token_type"] == "DPoP"
    assert scope["info"]["given_name"] == "Aino"
    (token,) = rows(live.app, Token)
    assert token.dpop_jkt == scope["KEY"].thumbprint()
