"""A citizen with a plain HTTP session, walking the broker's and the banks' real pages.

It is the browser of the live federation's tests (federation.py): it follows redirects as a
browser does, posts the pages' own forms with their CSRF tokens, and stops at the service's
redirect URI, where the service's side (`redeem`) exchanges the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import jwt
import requests

from bank_mock import customers
from bank_mock import totp
from tests.support.federation import Federation
from tests.support.flow import csrf_token
from tests.support.pkce import new_pair


def account(bank_id: str, citizen=None, scenario: str | None = None) -> customers.Account:
    """A seeded customer of a bank: by citizen, or the bank's customer for a scenario."""
    for candidate in customers.accounts_for(bank_id):
        if (scenario and candidate.scenario == scenario) or (
            citizen is not None and candidate.citizen == citizen and not scenario
        ):
            return candidate
    raise LookupError(f"no such customer at {bank_id}")


def key_code(acct: customers.Account) -> str:
    return totp.code_at(customers.totp_secret(acct.bank_id, acct.customer_number))


@dataclass
class Citizen:
    """A browser: walks the broker's and the bank's real pages, as a person would."""

    fed: Federation
    rp: object
    session: requests.Session = field(default_factory=requests.Session)
    last: requests.Response | None = None

    def get(self, url: str) -> requests.Response:
        self.last = self.session.get(self._abs(url), allow_redirects=False, timeout=15)
        return self.last

    def post(self, url: str, data: dict) -> requests.Response:
        self.last = self.session.post(self._abs(url), data=data, allow_redirects=False, timeout=15)
        return self.last

    def _abs(self, url: str) -> str:
        return url if url.startswith("http") else self.fed.broker_url + url

    def follow(self, response: requests.Response) -> requests.Response:
        """Follow redirects until a page, or until the service's redirect URI."""
        base = response.url
        while response.status_code in (302, 303) and not self.at_service(response):
            location = response.headers["Location"]
            if not location.startswith("http"):
                parts = urlsplit(base)
                location = f"{parts.scheme}://{parts.netloc}{location}"
            response = self.get(location)
            base = response.url
        return response

    def at_service(self, response) -> bool:
        return response.headers.get("Location", "").startswith(self.rp.redirect_uri)

    def authorize(self, **params) -> requests.Response:
        self.verifier, challenge = new_pair()
        query = dict(
            response_type="code",
            client_id=self.rp.client_id,
            redirect_uri=self.rp.redirect_uri,
            scope="openid profile national_id",
            state="st-" + challenge[:8],
            nonce="n-" + challenge[8:40],
            code_challenge=challenge,
            code_challenge_method="S256",
            **params,
        )
        self.state, self.nonce = query["state"], query["nonce"]
        self.interaction = None
        response = self.follow(
            self.session.get(
                self.fed.broker_url + "/authorize", params=query, allow_redirects=False, timeout=15
            )
        )
        self.interaction = urlsplit(response.url).path
        return response

    def choose_bank(self, bank_id: str) -> requests.Response:
        return self.follow(self.get(f"{self.interaction}/method/bank-{bank_id}/"))

    def bank_login(
        self, acct: customers.Account, password: str | None = None, code: str | None = None
    ) -> requests.Response:
        page = self.last
        login = self.follow(
            self.post(
                form_action(page),
                {
                    "csrf_token": csrf_token(page.text),
                    "customer_number": acct.customer_number,
                    "password": password or acct.password,
                },
            )
        )
        if login.status_code != 200 or 'name="code"' not in login.text:
            return login  # refused before the code: locked, or rate-limited
        return self.follow(
            self.post(
                form_action(login),
                {"csrf_token": csrf_token(login.text), "code": code or key_code(acct)},
            )
        )

    def bank_release(self, decision: str = "continue") -> requests.Response:
        page = self.last
        return self.follow(
            self.post(
                form_action(page), {"csrf_token": csrf_token(page.text), "decision": decision}
            )
        )

    def consent(self) -> requests.Response:
        page = self.last
        claims = re.findall(r'name="claim" value="([^"]+)"', page.text)
        return self.follow(
            self.post(
                page.url,
                {"csrf_token": csrf_token(page.text), "decision": "allow", "claim": claims},
            )
        )

    def log_in_with_bank(self, bank_id: str, acct: customers.Account) -> dict:
        """The whole journey; returns the parameters the service receives."""
        self.authorize()
        self.choose_bank(bank_id)
        self.bank_login(acct)
        response = self.bank_release()
        if "/consent" in response.url:
            response = self.consent()
        assert self.at_service(response), (response.status_code, response.url, response.text[:400])
        return callback_params(response)


def form_action(page) -> str:
    """Where the page's form posts, as an absolute URL on the page's own origin."""
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    parts = urlsplit(page.url)
    return action if action.startswith("http") else f"{parts.scheme}://{parts.netloc}{action}"


def callback_params(response) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}


def finish(citizen: Citizen, response: requests.Response) -> dict:
    """After the method: consent if asked, then the ID token the service receives."""
    if not citizen.at_service(response) and "/consent" in response.url:
        response = citizen.consent()
    assert citizen.at_service(response), (response.status_code, response.url, response.text[:300])
    return redeem(citizen, callback_params(response)["code"])


def redeem(citizen: Citizen, code: str) -> dict:
    """The service exchanges the code and checks the ID token's signature and audience."""
    answer = requests.post(
        citizen.fed.broker_url + "/token",
        auth=citizen.rp.auth,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": citizen.rp.redirect_uri,
            "code_verifier": citizen.verifier,
        },
        timeout=15,
    )
    assert answer.status_code == 200, answer.text
    token = answer.json()["id_token"]
    key = jwt.PyJWKClient(citizen.fed.broker_url + "/jwks.json").get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256", "ES256"], audience=citizen.rp.client_id)
