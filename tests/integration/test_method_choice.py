"""The method choice: only methods that meet the level asked for and report healthy."""

from __future__ import annotations

import pytest

from idp.authenticators.base import Authenticator
from idp.authenticators.registry import methods
from tests.support.flow import LOA3


class FakeBank(Authenticator):
    """A contract-complete method whose health the test controls; it never logs anyone in."""

    acr = "http://ftn.ficora.fi/2017/loa2"

    def __init__(self, name: str, healthy: bool):
        self.name, self._healthy = name, healthy

    def label(self) -> str:
        return f"Bank {self.name}"

    def healthy(self) -> bool:
        return self._healthy

    def begin(self, context):
        raise AssertionError("not offered, never started")

    def resume(self, context, request):
        raise AssertionError("not offered, never resumed")


@pytest.fixture
def banks(app, monkeypatch):
    with app.app_context():
        registry = methods()
    monkeypatch.setitem(registry._methods, "up", FakeBank("up", healthy=True))
    monkeypatch.setitem(registry._methods, "down", FakeBank("down", healthy=False))
    return registry


def links(page) -> str:
    return page.get_data(as_text=True)


def test_healthy_methods_are_links_and_unhealthy_ones_are_listed_as_unavailable(flow, banks):
    flow.authorize()
    html = links(flow.method_choice())
    assert "/method/up/" in html
    assert "/method/down/" not in html
    assert "Temporarily unavailable" in html
    assert "Bank down" in html


class FlippingBank(FakeBank):
    """Its health changes at every ask, as when a background check lands mid-page."""

    def healthy(self) -> bool:
        self._healthy = not self._healthy
        return self._healthy


def test_a_method_whose_health_flips_mid_page_is_listed_exactly_once(flow, banks, monkeypatch):
    monkeypatch.setitem(banks._methods, "flip", FlippingBank("flip", healthy=False))
    flow.authorize()
    html = links(flow.method_choice())
    offered, unavailable = html.split("Temporarily unavailable")
    assert "/method/flip/" in offered  # its one answer was "healthy"
    assert "Bank flip" not in unavailable


def test_methods_below_the_requested_level_are_not_offered(flow, banks):
    flow.authorize(acr_values=LOA3)
    html = links(flow.method_choice())
    assert "/method/up/" not in html
    assert "Bank down" not in html
    assert "/method/dev/" in html  # the development method reaches loa3


def test_a_method_below_the_level_cannot_be_started_by_url(flow, banks):
    flow.authorize(acr_values=LOA3)
    assert flow.browser.get(f"{flow.interaction}/method/up/").status_code == 404


def test_plain_explanation_when_no_method_can_serve(flow, banks, monkeypatch):
    monkeypatch.delitem(banks._methods, "dev")
    monkeypatch.delitem(banks._methods, "up")
    flow.authorize()
    html = links(flow.method_choice())
    assert "No identification method is available right now" in html
    assert "temporarily out of service" in html


def test_explanation_when_no_method_reaches_the_level(flow, banks, monkeypatch):
    monkeypatch.delitem(banks._methods, "dev")
    flow.authorize(acr_values=LOA3)
    html = links(flow.method_choice())
    assert "reaches the level of assurance" in html
