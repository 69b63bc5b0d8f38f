"""The bridge finds a card through its own map of the cards, rebuilt only when the token folder's
index changes: the PKCS#11 work of a page or a PIN operation does not grow with the number of
cards in the reader (issue #19; the demo's pool of cards had to be capped while it did)."""

from __future__ import annotations

from collections import Counter

import pytest

from card_mock.token import Card
from card_mock.token import TokenStore

from .reader_fixtures import *  # noqa: F403  (the bridge's fixtures)
from .reader_support import sign
from .reader_support import sign_page
from .support import AINO
from .support import PIN

COUNTED = {
    "refresh": (TokenStore, "refresh"),  # re-initialises the module: reads every token
    "scan": (TokenStore, "_initialised"),  # walks every slot
    "find": (TokenStore, "find"),  # walks every slot
    "labels": (TokenStore, "labels"),  # walks every slot
}


@pytest.fixture
def calls(monkeypatch):
    """How often each token-wide operation, and each token session, ran."""
    seen: Counter[str] = Counter()
    for name, (owner, attribute) in COUNTED.items():
        original = getattr(owner, attribute)

        def counted(*args, _original=original, _name=name, **kwargs):
            seen[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(owner, attribute, counted)
    opened = Card.open.__func__

    def open_counted(cls, token, **kwargs):
        seen["session"] += 1
        return opened(cls, token, **kwargs)

    monkeypatch.setattr(Card, "open", classmethod(open_counted))
    return seen


def work_per_request(client, serial: str, calls: Counter) -> dict[str, Counter]:
    """The counted work of each kind of request, once the bridge has seen its cards."""
    client.get("/")  # the first request after an issuance rebuilds the map
    found = {}
    for name, request in [
        ("index", lambda: client.get("/")),
        ("sign page", lambda: sign_page(client)),
        ("sign", lambda: sign(client, serial, PIN)),
        ("status", lambda: client.get("/api/status")),
    ]:
        calls.clear()
        response = request()
        response = response[0] if isinstance(response, tuple) else response  # sign: (page, ...)
        assert response.status_code == 200, name
        found[name] = Counter(calls)
    return found


@pytest.mark.parametrize("more", [5])
def test_a_pages_token_work_is_the_same_with_more_cards(client, issue_card, calls, more):
    """Counted, not timed: the operations that walk every token, and the sessions opened."""
    first = issue_card(AINO)
    few = work_per_request(client, first.serial, calls)
    for _ in range(more):
        issue_card(AINO)
    many = work_per_request(client, first.serial, calls)
    assert few == many
    for name, work in many.items():
        assert not (work["refresh"] or work["scan"] or work["find"] or work["labels"]), name
    assert many["sign"]["session"] == 1  # the login on the chosen card, nothing else
    assert many["index"]["session"] == 0


def test_a_new_card_is_seen_once_the_index_changes(client, issue_card, calls):
    issue_card(AINO)
    assert client.get("/").status_code == 200
    calls.clear()
    second = issue_card(AINO)
    calls.clear()
    page = client.get("/").get_data(as_text=True)
    assert second.serial in page
    assert calls["refresh"] == 1 and calls["scan"] == 1  # one rebuild, then none
    calls.clear()
    client.get("/")
    assert calls["refresh"] == 0


def test_a_missing_index_is_rebuilt_from_the_tokens(client, issue_card, parts):
    issued = issue_card(AINO)
    (parts.tokens.folder / "cards-index.json").unlink()
    assert issued.serial in client.get("/").get_data(as_text=True)
    assert (parts.tokens.folder / "cards-index.json").exists()
