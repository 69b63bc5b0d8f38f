"""A citizen (a browser) and a service walking the cluster's real pages, retrying as people do.

When a node dies under a request, nginx answers 502 for it (or the connection drops); the
citizen then reloads or resubmits, as a person would. The service never replays a code: a
second redemption would revoke the first one's tokens (RFC 6749 §4.1.2). When the code
exchange is lost, the service starts the login again, which single sign-on makes quick.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from dataclasses import field
from urllib.parse import parse_qs
from urllib.parse import urljoin
from urllib.parse import urlsplit

import requests

from bank_mock import customers
from tests.support import cluster as topology
from tests.support.citizen import form_action
from tests.support.citizen import key_code
from tests.support.flow import csrf_token
from tests.support.pkce import new_pair

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SERVICE = {"Accept": "application/json"}  # a service's HTTP client, not a browser
GATEWAY_ERRORS = (502, 504)  # nginx's own answers: the node was lost mid-request
ERROR_CODE = re.compile(r'class="code"[^>]*>.*?<code>([A-Za-z0-9._-]+)</code>', re.S)
ERROR_ID = re.compile(r'class="error-id"[^>]*>.*?<code>([A-Za-z0-9._-]+)</code>', re.S)


def synthetic_accounts(bank_id: str) -> list[customers.Account]:
    """The bank's synthetic customers who bank nowhere else: a fresh person for every login."""
    return [
        a
        for a in customers.accounts_for(bank_id, topology.SYNTHETIC)
        if a.customer_number[1] == "9" and int(a.customer_number[2:]) % 5 != 0
    ]


@dataclass
class Result:
    completed: bool = False
    tokens: dict | None = None
    code: str | None = None
    userinfo: dict | None = None
    page_status: int | None = None  # the clear page a login that failed ended on
    page_error_id: str | None = None
    page_code: str | None = None
    retries: int = 0
    restarts: int = 0
    request_ids: list[str] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0


class Citizen:
    def __init__(self, url: str, account: customers.Account | None = None) -> None:
        self.url, self.account = url, account
        self.http = requests.Session()
        self.http.headers["Accept"] = BROWSER_ACCEPT
        self.result = Result(started=time.monotonic())
        self.interaction = ""

    # -- one request, retried as a person would -----------------------------------------------
    def send(self, method: str, url: str, data=None, auth=None, retry=True, headers=None):
        url = urljoin(self.url + "/", url)
        for _ in range(6):
            try:
                response = self.http.request(
                    method,
                    url,
                    data=data,
                    auth=auth,
                    headers=headers,
                    allow_redirects=False,
                    timeout=20,
                )
            except requests.RequestException:  # refused, reset, or cut short
                response = None
            if response is not None and response.headers.get("X-Request-Id"):
                self.result.request_ids.append(response.headers["X-Request-Id"])
            lost = response is None or response.status_code in GATEWAY_ERRORS
            if not (lost and retry):
                return response
            self.result.retries += 1
            time.sleep(0.3)
        return response

    def follow(self, response):
        """Follow redirects to a page, or stop at the service's redirect URI."""
        for _ in range(12):
            if response is None or response.status_code not in (302, 303):
                return response
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(topology.REDIRECT_URI):
                return response
            response = self.send("GET", location)
        raise AssertionError("too many redirects")

    # -- the service's side -----------------------------------------------------------------
    def authorize(self):
        response = self.follow(self.send("GET", self.authorization_path()))
        self.interaction = urlsplit(response.url).path if response is not None else ""
        return response

    def authorization_path(self) -> str:
        """A fresh authorization request of the service (PKCE pair, state, nonce kept)."""
        self.verifier, challenge = new_pair()
        self.state, self.nonce = "st-" + challenge[:10], "n-" + challenge[10:40]
        query = dict(
            response_type="code",
            client_id=topology.CLIENT_ID,
            redirect_uri=topology.REDIRECT_URI,
            scope="openid profile",
            state=self.state,
            nonce=self.nonce,
            code_challenge=challenge,
            code_challenge_method="S256",
        )
        return "/authorize?" + _encode(query)

    def exchange(self, code: str) -> dict | None:
        """The service's code exchange, never replayed; None when the answer was lost."""
        response = self.redeem(code)
        if response is None or response.status_code != 200:
            return None
        return response.json()

    def redeem(self, code: str):
        """The service's token request for ``code`` as answered (None when the answer was lost)."""
        return self.send(
            "POST",
            "/token",
            data=dict(
                grant_type="authorization_code",
                code=code,
                redirect_uri=topology.REDIRECT_URI,
                code_verifier=self.verifier,
            ),
            auth=(topology.CLIENT_ID, topology.CLIENT_SECRET),
            retry=False,
            headers=SERVICE,
        )

    def userinfo(self, access_token: str) -> dict | None:
        # A GET: safe to retry.
        response = self.send("GET", "/userinfo", auth=Bearer(access_token), headers=SERVICE)
        return response.json() if response is not None and response.status_code == 200 else None

    # -- the citizen's journey --------------------------------------------------------------
    def log_in_with_bank(self, bank_id: str) -> Result:
        """A whole first login; restarted from the service once if a code or token is lost."""
        for attempt in range(3):
            self.result.restarts = attempt
            response = self.authorize()
            if response is not None and response.status_code == 200 and attempt == 0:
                response = self._at_bank(bank_id)
            if (
                response is not None
                and response.status_code == 200
                and "/consent" in (response.url or "")
            ):
                response = self._consent(response)
            if not _at_service(response):
                return self._ended(response)
            callback = _callback(response)
            if callback.get("state") != self.state or "code" not in callback:
                return self._ended(response)
            tokens = self.exchange(callback["code"])
            if tokens is not None:
                self.result.code, self.result.tokens = callback["code"], tokens
                self.result.userinfo = self.userinfo(tokens["access_token"])
                self.result.completed = self.result.userinfo is not None
                self.result.ended = time.monotonic()
                return self.result
        return self._ended(response)

    def _at_bank(self, bank_id: str):
        page = self.follow(self.send("GET", f"{self.interaction}/method/bank-{bank_id}/"))
        if page is None or page.status_code != 200 or 'name="customer_number"' not in page.text:
            return page
        acct = self.account
        login = self.follow(
            self.send(
                "POST",
                form_action(page),
                {
                    "csrf_token": csrf_token(page.text),
                    "customer_number": acct.customer_number,
                    "password": acct.password,
                },
            )
        )
        if login is None or 'name="code"' not in login.text:
            return login
        release = self.follow(
            self.send(
                "POST",
                form_action(login),
                {"csrf_token": csrf_token(login.text), "code": key_code(acct)},
            )
        )
        if release is None or 'name="decision"' not in release.text:
            return release
        return self.follow(
            self.send(
                "POST",
                form_action(release),
                {"csrf_token": csrf_token(release.text), "decision": "continue"},
            )
        )

    def _consent(self, page):
        claims = re.findall(r'name="claim" value="([^"]+)"', page.text)
        form = {
            "csrf_token": csrf_token(page.text),
            "decision": "allow",
            "claim": claims,
            "remember": "yes",
        }
        return self.follow(self.send("POST", page.url, form))

    def _ended(self, response) -> Result:
        self.result.ended = time.monotonic()
        if response is not None:
            self.result.page_status = response.status_code
            found = ERROR_ID.search(response.text or "")
            self.result.page_error_id = found.group(1) if found else None
            named = ERROR_CODE.search(response.text or "")
            self.result.page_code = named.group(1) if named else None
        return self.result


class Bearer(requests.auth.AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request):
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(query)


def _at_service(response) -> bool:
    return response is not None and response.headers.get("Location", "").startswith(
        topology.REDIRECT_URI
    )


def _callback(response) -> dict[str, str]:
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return {k: v[0] for k, v in query.items()}


def is_clear_page(result: Result) -> bool:
    """A failed login ended on a readable page: a status, and an error id to give support."""
    return (
        result.page_status is not None
        and result.page_status >= 400
        and result.page_status not in GATEWAY_ERRORS
        and result.page_error_id is not None
    )
