"""The development authenticator believes any form: it must be unreachable outside tests."""

from __future__ import annotations

import pytest

from idp import create_app
from idp.authenticators.registry import methods
from idp.config import ConfigError
from idp.extensions import db
from idp.storage.models import ExternalIdentity
from idp.storage.models import LoginSession
from tests.support.flow import CITIZEN
from tests.support.flow import LOA2
from tests.support.flow import Flow
from tests.support.flow import count
from tests.support.flow import csrf_token
from tests.support.settings import test_config as broker_config


@pytest.fixture
def make_app(database):
    """Build extra apps on the test database; their pooled connections are closed after."""
    apps = []

    def make(**overrides):
        app = create_app(broker_config(database, **overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.mark.parametrize("testing", [False, "0", "false"])
def test_dev_authenticator_without_testing_refuses_to_start(make_app, testing):
    with pytest.raises(ConfigError) as refused:
        make_app(TESTING=testing, DEV_AUTHENTICATOR=True)
    message = str(refused.value)
    assert "SILTA_DEV_AUTHENTICATOR" in message
    assert "TESTING is off" in message


def test_dev_authenticator_from_the_environment_is_refused_too(database, monkeypatch):
    monkeypatch.setenv("SILTA_DEV_AUTHENTICATOR", "1")
    config = broker_config(database)
    del config["DEV_AUTHENTICATOR"]
    config["TESTING"] = False
    with pytest.raises(ConfigError, match="SILTA_DEV_AUTHENTICATOR"):
        create_app(config)


@pytest.fixture
def production(make_app, rp):
    """An app as production runs it: not testing, no development method."""
    return make_app(TESTING=False, DEV_AUTHENTICATOR=False)


def test_without_it_the_registry_has_no_dev_method(production):
    with production.app_context():
        assert methods().get("dev") is None
        assert "dev" not in [m.name for m in methods().all()]


def test_without_it_the_dev_routes_are_404(production, rp, ctx):
    flow = Flow(production.test_client(), rp)
    assert flow.authorize().status_code == 303
    choice = flow.method_choice().get_data(as_text=True)
    assert "/method/dev/" not in choice
    assert "Development login" not in choice
    page = flow.browser.get(f"{flow.interaction}/method/dev/")
    assert page.status_code == 404
    form = {**CITIZEN, "acr": LOA2, "action": "login", "csrf_token": csrf_token(choice)}
    response = flow.browser.post(f"{flow.interaction}/method/dev/continue", data=form)
    assert response.status_code == 404
    assert count(ctx, LoginSession) == 0
    assert count(ctx, ExternalIdentity) == 0


def test_the_method_itself_refuses_in_an_app_that_stopped_testing(make_app, rp, ctx):
    app = make_app()
    flow = Flow(app.test_client(), rp)
    flow.authorize()
    app.config["TESTING"] = False  # as if someone flipped it at run time
    page = flow.browser.get(f"{flow.interaction}/method/dev/")
    assert page.status_code == 500
    assert "<code>server_error</code>" in page.get_data(as_text=True)
    assert count(ctx, LoginSession) == 0
