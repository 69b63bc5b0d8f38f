"""oidcc-userinfo-post-body: the access token as a form body parameter is not accepted.

RFC 6750 §2.2 makes the body parameter optional ("MAY"); the module passes with a warning when
the server answers an error. The broker takes the token from the Authorization header only
(deviation), answers 401 with a Bearer challenge (RFC 6750 §3), and releases nothing.
"""

from __future__ import annotations

from idp.storage.models import ReleaseLogEntry
from tests.support.checks import count


def test_token_in_the_body_is_401_and_releases_nothing(flow, browser, app):
    tokens = flow.code_flow()
    released = count(app, ReleaseLogEntry)
    response = browser.post("/userinfo", data={"access_token": tokens["access_token"]})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert "sub" not in (response.get_json(silent=True) or {})
    assert count(app, ReleaseLogEntry) == released
