"""Silta's overrides of framework internals still match the pinned versions they copy.

Each override (idp/framework.py, idp/oidc/server.py, idp/storage/transaction.py) names the
version whose code it relies on. These tests fail when that code changes: the installed
version, the source of each method the override replaces or copies (its SHA-256), and the
upstream behaviour the override relies on. When one fails after an upgrade, read the new
upstream method against the override, change the override if it must, then record the new pin
here and in the override's docstring.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import inspect

import pytest
from authlib.integrations.flask_oauth2.requests import FlaskOAuth2Request
from authlib.oauth2.rfc6749 import AuthorizationServer
from authlib.oauth2.rfc6749 import InsecureTransportError
from authlib.oauth2.rfc6749 import OAuth2Request
from flask import Flask
from flask import g
from flask import request
from flask.sessions import SecureCookieSessionInterface
from flask_sqlalchemy.session import Session
from flask_wtf import csrf as flask_wtf_csrf

from idp.framework import Broker
from idp.framework import BrowserCookieInterface
from idp.framework import CSRFProtect
from idp.oidc.server import SiltaRequest

PINS = {
    "Authlib": "1.9.9",
    "Flask": "3.1.3",
    "Flask-WTF": "1.3.0",
    "Flask-SQLAlchemy": "3.1.1",
    "SQLAlchemy": "2.1.9",  # storage/fast.py reads its compiled statements
}


def _unhooked(method):
    """The function under Authlib's ``@hooked`` wrapper (it does not set ``__wrapped__``)."""
    cells = method.__closure__ or ()
    return next((c.cell_contents for c in cells if inspect.isfunction(c.cell_contents)), method)


# (the upstream method, the SHA-256 of its source in the pinned version, the override)
OVERRIDDEN = [
    (
        Flask.ensure_sync,
        "93da8bd89e2a20b7d3e41798422ab8914e970a39c3c57f41ab160aefb2560b90",
        "idp.framework.Broker.ensure_sync",
    ),
    (
        SecureCookieSessionInterface.get_signing_serializer,
        "5d09536190054e4e57b99a2298600c9480c3effb9a4b40b05c188218794e7eaa",
        "idp.framework.BrowserCookieInterface.get_signing_serializer",
    ),
    (
        flask_wtf_csrf.CSRFProtect.protect,
        "60961f8ee3e9ef3f377bdbad69ebd0a23d8358417b7d52c6e707462046f56986",
        "idp.framework.CSRFProtect.protect",
    ),
    (
        Session.get_bind,
        "60ffdab8b9b7aac5d3b758583efb0b8dbcba73783351ff5f75e900b9260b7d08",
        "idp.storage.transaction.Session.get_bind",
    ),
    (
        OAuth2Request.__init__,
        "c53902fe94149d5ba3e55484dc75fc0f44ecfc1581be1c64e6e39010e6123d91",
        "idp.oidc.server.SiltaRequest.__init__ (copies its fields)",
    ),
    (
        FlaskOAuth2Request.__init__,
        "95d8bb919fd854765e8469f3f150a0c9d2044b59446bc72730869b4a9aa3e47c",
        "idp.oidc.server.SiltaRequest.__init__",
    ),
    (
        _unhooked(AuthorizationServer.create_authorization_response),
        "844ab582ef005bf066b15c455387750883d8e05bb49f7bd1868b1d01d099473c",
        "idp.oidc.server.AuthorizationServer.create_authorization_response",
    ),
]


@pytest.mark.parametrize(("distribution", "version"), PINS.items())
def test_the_pinned_version_is_installed(distribution, version):
    assert importlib.metadata.version(distribution) == version


@pytest.mark.parametrize(
    ("upstream", "digest", "override"), OVERRIDDEN, ids=[row[2] for row in OVERRIDDEN]
)
def test_the_overridden_upstream_code_is_the_pinned_one(upstream, digest, override):
    source = inspect.getsource(upstream)
    assert hashlib.sha256(source.encode()).hexdigest() == digest, (
        f"{upstream.__qualname__} changed upstream: read it against {override}"
    )


# --- what each override relies on --------------------------------------------------------------


def test_flask_hands_back_a_plain_function_itself_as_the_shortcut_does():
    def hook():
        return None

    assert Flask("probe").ensure_sync(hook) is hook
    assert Broker("probe").ensure_sync(hook) is hook


def test_anything_but_a_plain_function_is_still_flasks_to_decide():
    async def coroutine_hook():
        return None

    def marked():
        return None

    # Python 3.12's inspect.markcoroutinefunction sets this marker; the override defers to it.
    marked._is_coroutine_marker = object()
    for hook in (coroutine_hook, marked):
        outcomes = []
        for app in (Flask("probe"), Broker("probe")):
            try:
                answer = app.ensure_sync(hook)
                outcomes.append("itself" if answer is hook else type(answer).__name__)
            except RuntimeError as error:  # Flask without its `async` extra, as here
                outcomes.append(str(error))
        assert outcomes[0] == outcomes[1]


def test_the_cached_cookie_signer_signs_as_flasks_own():
    app = Flask("probe")
    app.secret_key = "k" * 32
    ours, theirs = BrowserCookieInterface(), SecureCookieSessionInterface()
    cached = ours.get_signing_serializer(app)
    assert ours.get_signing_serializer(app) is cached  # built once per key set
    assert theirs.get_signing_serializer(app).loads(cached.dumps({"lang": "fi"})) == {"lang": "fi"}
    app.secret_key = "other" * 8
    assert ours.get_signing_serializer(app) is not cached  # a new key, a new signer


@pytest.mark.parametrize("protect", [flask_wtf_csrf.CSRFProtect, CSRFProtect])
def test_a_safe_method_is_never_checked_for_a_token(protect):
    app = Flask("probe")
    app.secret_key = "k" * 32
    guard = protect(app)
    with app.test_request_context("/anywhere", method="GET"):
        guard.protect(apply_exemptions=False)
        assert "csrf_valid" not in g


@pytest.mark.parametrize("protect", [flask_wtf_csrf.CSRFProtect, CSRFProtect])
def test_a_post_without_its_token_is_refused_by_both(protect):
    app = Flask("probe")
    app.secret_key = "k" * 32
    guard = protect(app)
    with (
        app.test_request_context("/anywhere", method="POST"),
        pytest.raises(flask_wtf_csrf.CSRFError),
    ):
        guard.protect(apply_exemptions=False)


def test_the_request_has_every_field_authlibs_own_has():
    app = Flask("probe")
    with app.test_request_context("https://broker.example/token?x=1", method="POST"):
        theirs = FlaskOAuth2Request(request)
        ours = SiltaRequest(request)
    assert set(vars(theirs)) <= set(vars(ours))
    for field in ("method", "headers", "client", "user", "authorization_code", "_scope"):
        assert getattr(ours, field) == getattr(theirs, field)
    assert type(ours.payload) is type(theirs.payload)


@pytest.mark.parametrize("url", ["http://broker.example/token", "http://10.0.0.1/token"])
def test_plain_http_off_loopback_is_refused_by_both(url):
    app = Flask("probe")
    with app.test_request_context(url, method="POST"):
        with pytest.raises(InsecureTransportError):
            FlaskOAuth2Request(request)
        with pytest.raises(InsecureTransportError):
            SiltaRequest(request)
