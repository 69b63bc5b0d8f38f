"""fapi2-security-profile-final-user-rejects-authentication: a refusal is `access_denied`.

RFC 6749 §4.1.2.1 (`access_denied`, with `state`) and RFC 9207 §2 (`iss`); nothing is issued.
The citizen may decline at consent or cancel at the method choice.
"""

from __future__ import annotations

from idp.storage.models import AuthorizationCode
from idp.storage.models import Token
from tests.support.checks import count

from .conftest import FAPI_REDIRECT_URI
from .support import redirect_error


def test_declined_consent_is_access_denied(fapi, app):
    fapi.start()
    fapi.login()
    fapi.consent(allow=False)
    response = fapi.resume()
    redirect_error(response, FAPI_REDIRECT_URI, "access_denied", fapi.state)
    assert count(app, AuthorizationCode) == 0
    assert count(app, Token) == 0


def test_cancel_at_the_method_choice_is_access_denied(fapi, app):
    fapi.start()
    fapi.cancel()
    response = fapi.resume()
    redirect_error(response, FAPI_REDIRECT_URI, "access_denied", fapi.state)
    assert count(app, AuthorizationCode) == 0
