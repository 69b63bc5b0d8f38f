"""A development authenticator for the test suite only.

It believes whatever identity the form names, so it must never be reachable outside tests:
the config refuses DEV_AUTHENTICATOR without TESTING, the registry loads this module only when
asked, and the method itself refuses to run in an app that is not testing.
"""

from __future__ import annotations

import time

from flask import Flask
from flask import Request
from flask import current_app
from flask import render_template

from .. import assurance
from .base import Authenticator
from .base import AuthnCancelled
from .base import AuthnFailed
from .base import AuthnResult
from .base import LoginContext

ISSUER = "urn:silta:dev"


class DevAuthenticator(Authenticator):
    name = "dev"
    acr = assurance.FTN_LOA3  # can stand in for any level; the form picks the level reached

    def __init__(self, app: Flask):
        if not app.config["TESTING"]:
            raise RuntimeError("the development authenticator runs only under TESTING")

    def label(self) -> str:
        return "Development login (tests only)"

    def _guard(self) -> None:
        if not current_app.config["TESTING"]:
            raise RuntimeError("the development authenticator runs only under TESTING")

    def begin(self, context: LoginContext):
        self._guard()
        return render_template("dev_login.html", context=context, levels=assurance.LEVELS)

    def resume(self, context: LoginContext, request: Request):
        self._guard()
        form = request.form
        if form.get("action") == "cancel":
            raise AuthnCancelled()
        national_id = form.get("national_id", "").strip()
        acr = form.get("acr", assurance.FTN_LOA2)
        if not national_id or acr not in assurance.LEVELS:
            raise AuthnFailed(
                "dev_invalid", "A national identity number and a known level are needed."
            )
        attributes = {
            k: form[k].strip()
            for k in ("given_name", "family_name", "birthdate")
            if form.get(k, "").strip()
        }
        return AuthnResult(
            method=self.name,
            issuer=ISSUER,
            subject=national_id,
            acr=acr,
            amr=("pwd",),
            auth_time=int(time.time()),
            attributes={"national_id": national_id, **attributes},
        )
