"""Flow helpers: a whole login reads as a few lines (STYLE rule 12)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import parse_qs
from urllib.parse import urlsplit

from . import pkce

LOA2 = "http://ftn.ficora.fi/2017/loa2"
LOA3 = "http://ftn.ficora.fi/2017/loa3"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CITIZEN = dict(
    national_id="010170-999R", given_name="Aino", family_name="Virtanen", birthdate="1970-01-01"
)


@dataclass
class RegisteredClient:
    client_id: str
    secret: str | None
    redirect_uri: str
    post_logout_redirect_uri: str | None = None

    @property
    def auth(self) -> tuple[str, str]:
        return (self.client_id, self.secret or "")


def query(response) -> dict[str, str]:
    """The parameters of a redirect's Location, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@dataclass
class Flow:
    """One browser (a Flask test client) logging in to one registered service."""

    browser: object
    rp: RegisteredClient
    verifier: str = ""
    state: str = ""
    nonce: str = ""
    interaction: str | None = None
    last: object = None
    history: list = field(default_factory=list)

    def authorize(self, **params):
        """GET /authorize with a valid code-flow request; keywords override (None drops)."""
        self.verifier, challenge = pkce.new_pair()
        self.state, self.nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(24)
        request = dict(
            response_type="code",
            client_id=self.rp.client_id,
            redirect_uri=self.rp.redirect_uri,
            scope="openid profile",
            state=self.state,
            nonce=self.nonce,
            code_challenge=challenge,
            code_challenge_method="S256",
        )
        request.update(params)
        request = {k: v for k, v in request.items() if v is not None}
        self.state, self.nonce = request.get("state", ""), request.get("nonce", "")
        response = self.browser.get("/authorize", query_string=request)
        location = response.headers.get("Location", "")
        self.interaction = location if location.startswith("/interaction/") else None
        return self._keep(response)

    def method_choice(self):
        assert self.interaction, "no interaction in progress"
        return self._keep(self.browser.get(self.interaction))

    def login(self, acr: str = LOA2, cancel: bool = False, **person):
        """Log in with the development authenticator and follow back to the interaction."""
        page = self.browser.get(f"{self.interaction}/method/dev/")
        assert page.status_code == 200, page.status_code
        form = {
            **CITIZEN,
            **person,
            "acr": acr,
            "action": "cancel" if cancel else "login",
            "csrf_token": csrf_token(page.get_data(as_text=True)),
        }
        return self._keep(self.browser.post(f"{self.interaction}/method/dev/continue", data=form))

    def consent_page(self):
        return self._keep(self.browser.get(f"{self.interaction}/consent"))

    def consent(self, allow: bool = True, claims: list[str] | None = None, remember: bool = False):
        """Answer the consent page; ``claims`` None ticks every voluntary claim shown."""
        page = self.consent_page()
        html = page.get_data(as_text=True)
        shown = re.findall(r'name="claim" value="([^"]+)"', html)
        form = {
            "csrf_token": csrf_token(html),
            "decision": "allow" if allow else "deny",
            "claim": shown if claims is None else claims,
        }
        if remember:
            form["remember"] = "yes"
        return self._keep(self.browser.post(f"{self.interaction}/consent", data=form))

    def resume(self):
        """Carry on, as the browser would: visit the interaction and, once the screens have done
        what was asked, follow them back to the protocol (the resume route); the protocol's
        answer is returned: the service's redirect, the consent screen's, or the method choice
        itself (the redirect to it followed)."""
        response = self.browser.get(self.interaction)
        back = response.headers.get("Location", "") if response.status_code == 303 else ""
        if back and not back.startswith(self.interaction):
            response = self.browser.get(back)
            if response.status_code == 303 and response.headers["Location"] == self.interaction:
                response = self.browser.get(self.interaction)
        return self._keep(response)

    def login_and_consent(self, remember: bool = False, **login) -> dict[str, str]:
        """From an authorize that needs the citizen, to the parameters the service receives."""
        self.login(**login)
        response = self.resume()
        if response.headers.get("Location", "").endswith("/consent"):
            self.consent(remember=remember)
            response = self.resume()
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return query(response)

    def exchange_code(self, code: str, verifier: str | None = None, auth=None, **extra):
        data = dict(
            grant_type="authorization_code",
            code=code,
            redirect_uri=self.rp.redirect_uri,
            code_verifier=verifier or self.verifier,
        )
        data.update(extra)
        data = {k: v for k, v in data.items() if v is not None}
        return self.browser.post("/token", data=data, auth=auth or self.rp.auth)

    def code_flow(self, **authorize) -> dict:
        """A complete first login: authorize, log in, consent, exchange. Returns the token JSON."""
        self.authorize(**authorize)
        callback = self.login_and_consent()
        response = self.exchange_code(callback["code"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def _keep(self, response):
        self.last = response
        self.history.append(response)
        return response

    # --- Helpers for the feature tests (appended) ---

    def cancel(self):
        """Press "Cancel" on the method choice (a CSRF-protected POST)."""
        page = self.browser.get(self.interaction)
        form = {"csrf_token": csrf_token(page.get_data(as_text=True))}
        return self._keep(self.browser.post(f"{self.interaction}/cancel", data=form))

    def sign_in(self, remember: bool = False, **login) -> dict[str, str]:
        """After ``authorize``: do whatever the broker still asks (log in, consent) and return
        the parameters the service receives. Works for SSO, first logins and step-up alike."""
        if self.interaction is None:
            assert self.last.status_code == 302, self.last.status_code
            return query(self.last)
        response = self.resume()
        for _ in range(4):
            if response.status_code == 200 and 'name="code"' not in response.get_data(as_text=True):
                self.login(**login)  # the method choice: log in
            elif response.headers.get("Location", "").endswith("/consent"):
                self.consent(remember=remember)
            else:
                break
            response = self.resume()
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return query(response)

    def tokens(self, callback: dict[str, str]) -> dict:
        """Redeem a callback's code; the token response must succeed."""
        response = self.exchange_code(callback["code"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def userinfo(self, access_token: str):
        return self.browser.get("/userinfo", headers={"Authorization": f"Bearer {access_token}"})


ISSUER = "http://127.0.0.1:8400"  # the test configuration's issuer


def count(session, model) -> int:
    """Rows in a model's table, counted in the database (never from stale session objects)."""
    from sqlalchemy import func
    from sqlalchemy import select

    return session.execute(select(func.count()).select_from(model)).scalar_one()


def counts(session, *models) -> dict[str, int]:
    return {model.__name__: count(session, model) for model in models}


def id_token_claims(browser, id_token: str) -> dict:
    """The claims of an ID token, after verifying its signature against /jwks.json."""
    from joserfc import jwt
    from joserfc.jwk import KeySet

    jwks = KeySet.import_key_set(browser.get("/jwks.json").get_json())
    return dict(jwt.decode(id_token, jwks, algorithms=["RS256", "ES256"]).claims)


def cookie_attributes(response, name: str) -> dict[str, str]:
    """The attributes of the Set-Cookie header that sets ``name``, keys lower-cased."""
    for header in response.headers.getlist("Set-Cookie"):
        first, *attributes = (part.strip() for part in header.split(";"))
        if first.split("=", 1)[0] == name:
            pairs = (a.split("=", 1) if "=" in a else (a, "") for a in attributes)
            return {k.lower(): v for k, v in pairs}
    raise AssertionError(f"no Set-Cookie for {name}")
