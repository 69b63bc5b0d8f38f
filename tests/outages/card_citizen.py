"""A citizen with an ID card, as the pages are used: the challenge from the broker's card page,
the PIN typed into the bridge's own window, the Web eID token handed back and posted to the broker.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import requests

from tests.card_mock.support import PIN
from tests.support.citizen import Citizen
from tests.support.flow import csrf_token

LOA3 = "http://ftn.ficora.fi/2017/loa3"
CHALLENGE = re.compile(r'name="challenge" value="([^"]+)"')
DATA = re.compile(r'data-(sign|status)-url="([^"]+)"')
READER_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HANDED_BACK = re.compile(r"data-origin=\"([^\"]*)\" data-message='([^']*)'")
ERROR_CODE = re.compile(r'class="code">.*?<code>([^<]+)</code>', re.S)
MESSAGE = re.compile(r'<div class="message" role="alert">(.*?)</div>', re.S)


@dataclass
class CardPage:
    """The broker's card page: the challenge, where the bridge signs, where its status is."""

    response: requests.Response
    challenge: str
    sign_url: str
    status_url: str


def open_card_page(citizen: Citizen) -> requests.Response:
    return citizen.get(f"{citizen.interaction}/method/id-card/")


def card_page(response: requests.Response) -> CardPage:
    challenge = CHALLENGE.search(response.text)
    assert response.status_code == 200 and challenge, (response.status_code, response.text[:300])
    urls = {kind: html.unescape(url) for kind, url in DATA.findall(response.text)}
    return CardPage(response, challenge.group(1), urls["sign"], urls["status"])


class ReaderWindow:
    """The bridge's own window, with its own cookies: the PIN is typed here and nowhere else."""

    def __init__(self) -> None:
        self.http = requests.Session()

    def open(self, sign_url: str) -> requests.Response:
        page = self.http.get(sign_url, timeout=15)
        assert page.status_code == 200, page.text[:400]
        return page

    def submit(self, sign_url: str, page: requests.Response, serial: str, pin: str):
        """Choose the card, type the PIN, press sign; the bridge's answer page."""
        asked = {k: v[0] for k, v in parse_qs(urlsplit(sign_url).query).items()}
        return self.http.post(
            sign_url.split("?")[0],
            data={
                "csrf_token": READER_CSRF.search(page.text).group(1),
                "origin": asked["origin"],
                "challenge": asked["challenge"],
                "card": serial,
                "pin": pin,
            },
            timeout=30,
        )

    def sign(self, sign_url: str, serial: str, pin: str = PIN) -> dict:
        """The whole window: open, PIN, and the Web eID token it hands back to the broker page."""
        answer = self.submit(sign_url, self.open(sign_url), serial, pin)
        assert answer.status_code == 200, answer.text[:400]
        _origin, message = handed_back(answer.text)
        assert message["type"] == "silta-reader:token", message
        return message["token"]

    def close(self) -> None:
        self.http.close()


def handed_back(text: str) -> tuple[str, dict]:
    """What the bridge's result page posts to its opener: target origin, message."""
    found = HANDED_BACK.search(text)
    assert found, "the bridge's page hands nothing back"
    return html.unescape(found.group(1)), json.loads(html.unescape(found.group(2)))


def post_token(citizen: Citizen, page: CardPage, token: dict) -> requests.Response:
    """What the card page's script does with the token: post it with the page's challenge."""
    return citizen.follow(
        citizen.post(
            f"{citizen.interaction}/method/id-card/continue",
            {
                "csrf_token": csrf_token(page.response.text),
                "challenge": page.challenge,
                "token": json.dumps(token),
            },
        )
    )


def error_code(response: requests.Response) -> str | None:
    found = ERROR_CODE.search(response.text)
    return found.group(1) if found else None


def explanation(response: requests.Response) -> str:
    """The plain-words part of a card failure page."""
    found = MESSAGE.search(response.text)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""
