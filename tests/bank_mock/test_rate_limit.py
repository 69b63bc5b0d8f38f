"""The per-address limit on login posts."""

from __future__ import annotations

import time

import pytest

from bank_mock import ratelimit

from .support import BankFlow
from .support import account


@pytest.fixture(autouse=True)
def one_minute(monkeypatch):
    """Counts are per calendar minute: hold the limiter's clock inside one, so a test that
    happens to run across a minute boundary does not see its count start again."""
    start = int(time.time()) // 60 * 60 + 30
    monkeypatch.setattr(ratelimit, "now", lambda: start)


def test_login_posts_beyond_the_limit_get_429(make_bank, broker_keys):
    app = make_bank(RATE_LIMIT_PER_MINUTE=3)
    flow = BankFlow(app, app.test_client(), broker_keys)
    aino = account("aurora")
    flow.start()
    for _ in range(3):
        assert flow.login(aino.customer_number, "wrong").status_code == 303
    refused = flow.login(aino.customer_number, aino.password)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.get_data(as_text=True)
    refused_code = flow.enter_code("123456")
    assert refused_code.status_code == 429


def test_the_limit_is_per_address(make_bank, broker_keys):
    app = make_bank(RATE_LIMIT_PER_MINUTE=2)
    near = BankFlow(app, app.test_client(), broker_keys)
    far_browser = app.test_client()
    far_browser.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    far = BankFlow(app, far_browser, broker_keys)
    aino = account("aurora")
    near.start()
    far.start()
    for _ in range(2):
        near.login(aino.customer_number, "wrong")
    assert near.login(aino.customer_number, "wrong").status_code == 429
    assert far.login(aino.customer_number, "wrong").status_code == 303


def test_pages_and_protocol_endpoints_are_not_counted(make_bank, broker_keys):
    app = make_bank(RATE_LIMIT_PER_MINUTE=1)
    flow = BankFlow(app, app.test_client(), broker_keys)
    for _ in range(3):
        flow.start()
        assert flow.page(f"/login/{flow.uid}").status_code == 200
    assert flow.login(account("aurora").customer_number, "x").status_code == 303
