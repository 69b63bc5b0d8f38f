"""A scripted browser: one citizen's cookies and address, real pages, forms read as HTML.

Each citizen gets their own loopback source address (127.x.y.z), as citizens have their own
addresses on the internet, so per-address limits at the banks (bank_mock/ratelimit.py) see
each citizen separately rather than the whole simulation as one abusive client.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from dataclasses import field
from html.parser import HTMLParser
from urllib.parse import urljoin
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

TIMEOUT = 30
MAX_REDIRECTS = 20


class LiveError(RuntimeError):
    """The live system answered something a citizen could not go on from."""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value)
    attrs: dict[str, str] = field(default_factory=dict)

    def values(self, **changes) -> dict[str, list[str] | str]:
        data: dict[str, list[str] | str] = {k: list(v) for k, v in self.fields.items()}
        data.update(changes)
        return data


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower(), attrs=a))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and not a.get("disabled"):
            kind = a.get("type", "text").lower()
            if kind == "submit":
                self.forms[-1].buttons.append((a["name"], a.get("value", "")))
            elif kind not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1].fields.setdefault(a["name"], []).append(a.get("value", ""))
        elif tag == "button" and a.get("name"):
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a.get("name")
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.forms[-1].fields)
        ):
            self.forms[-1].fields[self._select] = [a.get("value", "")]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


@dataclass
class Page:
    url: str
    status: int
    text: str
    headers: dict[str, str]

    def parsed(self) -> _Parser:
        parser = _Parser()
        parser.feed(self.text)
        return parser

    def forms(self) -> list[Form]:
        return [
            Form(urljoin(self.url, f.action or self.url), f.method, f.fields, f.buttons, f.attrs)
            for f in self.parsed().forms
        ]

    def form(self, having: str) -> Form:
        """The first form with a field or button named `having`."""
        for form in self.forms():
            if having in form.fields or any(name == having for name, _ in form.buttons):
                return form
        raise LiveError(f"no form with {having!r} at {self.url} (status {self.status})")

    def links(self) -> list[str]:
        return [urljoin(self.url, href) for href in self.parsed().links]

    def attribute(self, name: str) -> str | None:
        """The value of the first element carrying the attribute `name`."""
        return next((a[name] for _, a in self.parsed().elements if name in a), None)


class _SourceAddress(HTTPAdapter):
    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def source_address(index: int) -> str:
    """A distinct loopback address per citizen (127.0.0.0/8 is all loopback on Linux)."""
    n = index + 2  # skip 127.0.0.0 and 127.0.0.1
    return f"127.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


class Browser:
    """Cookies, redirects followed one by one, and a count of requests and wall time."""

    def __init__(self, address: str | None = None, language: str = "en") -> None:
        self.session = requests.Session()
        self.session.headers["Accept-Language"] = language
        if address:
            self.session.mount("http://", _SourceAddress(address))
        self.requests = 0

    def close(self) -> None:
        self.session.close()

    def _send(self, method: str, url: str, **kwargs) -> requests.Response:
        self.requests += 1
        try:
            return self.session.request(
                method, url, allow_redirects=False, timeout=TIMEOUT, **kwargs
            )
        except requests.RequestException as error:
            raise LiveError(f"{method} {url}: {error.__class__.__name__}") from None

    def go(self, method: str, url: str, stop_at: str | None = None, **kwargs) -> Page:
        """Send, then follow redirects until a page, or until a URL starting with `stop_at`."""
        response = self._send(method, url, **kwargs)
        for _ in range(MAX_REDIRECTS):
            if response.status_code not in (301, 302, 303, 307, 308):
                break
            location = urljoin(response.url, response.headers["Location"])
            if stop_at and location.startswith(stop_at):
                return Page(location, response.status_code, "", dict(response.headers))
            response = self._send("GET", location)
        else:
            raise LiveError(f"too many redirects from {url}")
        return Page(response.url, response.status_code, response.text, dict(response.headers))

    def get(self, url: str, **kwargs) -> Page:
        return self.go("GET", url, **kwargs)

    def submit(self, form: Form, button: tuple[str, str] | None = None, **changes) -> Page:
        data = form.values(**changes)
        if button:
            data[button[0]] = button[1]
        if form.method == "post":
            return self.go("POST", form.action, data=data)
        return self.go("GET", form.action, params=data)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Stopwatch:
    """Wall time of a step."""

    def __enter__(self) -> Stopwatch:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start
