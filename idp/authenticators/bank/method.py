"""Bank login: the broker as a Finnish Trust Network client of the citizen's own bank.

ARCHITECTURE §3 step 3a and §4: a signed request object carrying every parameter,
`private_key_jwt`, PKCE, a nonce, `ftn_spname` = the service's display name; the ID token comes
back signed and encrypted, and is decrypted and checked before the citizen is trusted.
"""

from __future__ import annotations

import base64
import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from flask import Request
from flask import current_app
from flask import redirect
from flask_babel import lazy_gettext as _l

from ... import assurance
from ...extensions import db
from ...hashing import new_secret
from ...storage import single_use
from ...storage import transaction
from ...storage.models import UpstreamLogin
from ...storage.models import now
from .. import hetu
from ..base import Authenticator
from ..base import AuthnCancelled
from ..base import AuthnFailed
from ..base import AuthnResult
from ..base import LoginContext
from .keys import FederationKeys
from .upstream import TokenRejected
from .upstream import Upstream
from .upstream import UpstreamError

NATIONAL_ID = "urn:oid:1.2.246.21"
LOGIN_LIFETIME = 600  # seconds the citizen has at the bank
UNAVAILABLE = _l(
    "Your bank cannot be reached right now. Please try again in a few minutes, or "
    "choose another way to identify yourself."
)
UNVERIFIED = _l(
    "Your bank's answer could not be verified, so you were not identified. Please "
    "try again, or choose another way to identify yourself."
)
STALE = _l("This answer from the bank does not belong to a login in progress. Please start again.")


@dataclass(frozen=True)
class BankConfig:
    id: str
    name: str
    issuer: str
    client_id: str


class BankAuthenticator(Authenticator):
    acr = assurance.FTN_LOA2  # bank login is substantial (ARCHITECTURE §4)
    amr = ("pwd", "otp", "mfa")  # RFC 8176: password and one-time code

    def __init__(self, bank: BankConfig, keys, timeout: float, health_interval: float):
        self.name = f"bank-{bank.id}"
        self.bank = bank
        self._keys = keys  # callable returning FederationKeys, loaded once on first use
        self.upstream = Upstream(bank.issuer, bank.client_id, timeout, health_interval)
        self._logo: str | None = None

    def label(self) -> str:
        return self.bank.name

    def logo(self) -> str | None:
        """The bank's logo as a data URI, fetched once (the page's CSP allows only data: images)."""
        if self._logo is None:
            try:
                uri = self.upstream.metadata().get("logo_uri")
                response = requests.get(uri, timeout=self.upstream.timeout) if uri else None
            except (UpstreamError, requests.RequestException):
                response = None
            if response is None or response.status_code != 200 or len(response.content) > 50_000:
                self._logo = ""  # no logo: remembered, so no page waits for it again
                return None
            kind = response.headers.get("Content-Type", "image/svg+xml").split(";")[0]
            self._logo = f"data:{kind};base64,{base64.b64encode(response.content).decode()}"
        return self._logo or None

    def healthy(self) -> bool:
        return self.upstream.healthy()

    def redirect_uri(self) -> str:
        return f"{current_app.config['ISSUER']}/method/{self.name}/callback"

    def begin(self, context: LoginContext):
        try:
            if not self.upstream.reachable_now():
                raise UpstreamError("not reachable")
            endpoint = self.upstream.metadata()["authorization_endpoint"]
        except (UpstreamError, KeyError):
            raise AuthnFailed("bank_unavailable", str(UNAVAILABLE)) from None
        login = UpstreamLogin(
            state=new_secret(32),
            method=self.name,
            interaction_uid=context.interaction_uid,
            nonce=new_secret(32),
            code_verifier=new_secret(48),
            expires_at=now() + LOGIN_LIFETIME,
        )
        db.session.add(login)
        transaction.commit()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(login.code_verifier.encode()).digest())
        params = {
            "response_type": "code",
            "client_id": self.bank.client_id,
            "redirect_uri": self.redirect_uri(),
            "scope": "openid profile personal_identity_code",
            "state": login.state,
            "nonce": login.nonce,
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
            "acr_values": assurance.FTN_LOA2,
            "ftn_spname": (context.service_name or "Silta")[:40],
            "ui_locales": context.ui_locale,
        }
        request_object = self.upstream.request_object(self._keys(), params)
        query = urlencode({"client_id": self.bank.client_id, "request": request_object})
        return redirect(f"{endpoint}?{query}", 303)

    def interaction_for(self, request: Request) -> str | None:
        state = request.args.get("state", "")
        login = db.session.get(UpstreamLogin, state) if state else None
        return login.interaction_uid if login is not None and login.method == self.name else None

    def resume(self, context: LoginContext, request: Request) -> AuthnResult:
        args = request.args
        login = self._claim(args.get("state", ""), context.interaction_uid)
        if args.get("iss") != self.bank.issuer:
            # RFC 9207 §2.4: an answer naming another issuer may be a mix-up attack.
            raise AuthnFailed("bank_wrong_issuer", str(UNVERIFIED))
        if args.get("error") == "access_denied":
            raise AuthnCancelled()  # FTN: the citizen pressed Cancel at the bank
        if args.get("error") or not args.get("code"):
            raise AuthnFailed("bank_error", str(UNAVAILABLE))
        keys: FederationKeys = self._keys()
        try:
            token = self.upstream.redeem(
                keys, args["code"], self.redirect_uri(), login.code_verifier
            )
            claims = self.upstream.verify_id_token(keys, token, login.nonce)
        except UpstreamError:
            raise AuthnFailed("bank_unavailable", str(UNAVAILABLE)) from None
        except TokenRejected as rejected:
            raise AuthnFailed(f"bank_token_{rejected.reason}", str(UNVERIFIED)) from None
        return self._result(claims)

    def _claim(self, state: str, uid: str) -> UpstreamLogin:
        """Use the login transaction once, for this interaction only."""
        used = single_use.spend_upstream_login(state, self.name, uid)
        transaction.commit()
        login = db.session.get(UpstreamLogin, state) if used else None
        if login is None:
            raise AuthnFailed("bank_state", str(STALE))
        return login

    def _result(self, claims: dict) -> AuthnResult:
        national_id = claims.get(NATIONAL_ID)
        born = hetu.birthdate(national_id)
        if assurance.level(claims.get("acr")) < self.level:
            raise AuthnFailed("bank_acr", str(UNVERIFIED))
        if (
            born is None
            or not isinstance(national_id, str)
            or not isinstance(claims.get("sub"), str)
        ):
            raise AuthnFailed("bank_identity", str(UNVERIFIED))
        attributes = {"national_id": national_id, "birthdate": born.isoformat()}
        attributes |= {
            k: claims[k] for k in ("given_name", "family_name") if isinstance(claims.get(k), str)
        }
        auth_time = claims.get("auth_time")
        return AuthnResult(
            method=self.name,
            issuer=self.bank.issuer,
            subject=claims["sub"],
            # A bank login is substantial whatever the bank says (ARCHITECTURE §4): a bank
            # answering loa3 must not open services that require the ID card.
            acr=self.acr,
            amr=self.amr,
            auth_time=auth_time if isinstance(auth_time, int) else int(time.time()),
            attributes=attributes,
        )
