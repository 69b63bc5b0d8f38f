"""ID-card login: the broker as a Web eID verifier of the citizen's national ID card.

ARCHITECTURE §3 step 3b. The page asks the citizen's reader bridge to sign a single-use
challenge; the citizen types the PIN into the bridge, never here. The token that comes back is
checked in the order of Web eID's "Authentication token validation": the challenge, the
token's shape, the certificate (purpose, dates, chain), the signature over the broker's own
origin and stored challenge, then OCSP; then the holder is looked up at the card authority.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import urlencode
from urllib.parse import urlsplit

from cryptography import x509
from flask import Request
from flask import current_app
from flask import make_response
from flask import redirect
from flask import render_template
from flask import url_for
from flask_babel import lazy_gettext as _l

from ... import assurance
from ...audit import events
from ...extensions import db
from ...hashing import new_secret
from ...storage.models import Interaction
from ...web.headers import content_security_policy
from .. import hetu
from ..base import Authenticator
from ..base import AuthnCancelled
from ..base import AuthnResult
from ..base import LoginContext
from . import certificate as ic_card_certificate
from . import challenge as ic_card_challenge
from . import ocsp as ocsp_client
from . import webeid
from .authority import AuthorityUnavailable
from .authority import CardAuthority
from .failures import READER_ERRORS
from .failures import failure_kind

log = logging.getLogger("silta.card")
AMR = ("sc", "pin", "hwk")  # RFC 8176: smart card, PIN, hardware-secured key
POSITIVE = ("CARD_TIMEOUT", "CARD_OCSP_MAX_AGE", "CARD_CHALLENGE_LIFETIME", "CARD_HEALTH_INTERVAL")


class CardConfigError(ValueError):
    """The card settings cannot run the method; the message names the setting."""


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL (RFC 6454 §4), as a browser reports it."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def check_origin(name: str, value: str) -> str:
    """The setting's value if it is exactly an origin (what `event.origin` will equal)."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or value != origin_of(value):
        raise CardConfigError(
            f"SILTA_{name} must be an origin, scheme://host[:port], not {value!r}."
        )
    return value


@dataclass(frozen=True)
class CardSettings:
    """The CARD_* settings the method runs with, checked once at start-up."""

    issuer_url: str
    reader_url: str
    trusted: tuple[x509.Certificate, ...]  # the card-issuing CAs
    ocsp_url: str
    timeout: float
    ocsp_max_age: int
    ocsp_fail_open: bool
    clock_skew: int
    challenge_lifetime: int

    @classmethod
    def from_config(cls, config) -> CardSettings:
        """Read and check the CARD_* settings; a missing or broken one stops start-up."""
        for name in ("CARD_TRUSTED_CA_FILE", "CARD_VERIFIER_SECRET"):
            if not config[name]:
                raise CardConfigError(
                    f"SILTA_{name} is required when SILTA_CARD_ISSUER_URL is set."
                )
        if config["CARD_ISSUER_URL"].endswith("/"):
            raise CardConfigError("SILTA_CARD_ISSUER_URL must not end with a slash.")
        for name in POSITIVE:
            if not config[name] > 0:
                raise CardConfigError(f"SILTA_{name} must be more than 0.")
        if config["CARD_CLOCK_SKEW"] < 0:
            raise CardConfigError("SILTA_CARD_CLOCK_SKEW must not be negative.")
        try:
            trusted = ic_card_certificate.load_trusted(config["CARD_TRUSTED_CA_FILE"])
        except ic_card_certificate.TrustConfigError as error:
            raise CardConfigError(f"SILTA_CARD_TRUSTED_CA_FILE: {error}") from None
        return cls(
            issuer_url=config["CARD_ISSUER_URL"],
            reader_url=check_origin("CARD_READER_URL", config["CARD_READER_URL"]),
            trusted=tuple(trusted),
            ocsp_url=config["CARD_OCSP_URL"],
            timeout=config["CARD_TIMEOUT"],
            ocsp_max_age=config["CARD_OCSP_MAX_AGE"],
            ocsp_fail_open=config["CARD_OCSP_FAIL_OPEN"],
            clock_skew=config["CARD_CLOCK_SKEW"],
            challenge_lifetime=config["CARD_CHALLENGE_LIFETIME"],
        )


class CardAuthenticator(Authenticator):
    name = "id-card"
    acr = assurance.FTN_LOA3  # the ID card is high (ARCHITECTURE §4)

    def __init__(self, settings: CardSettings, authority: CardAuthority):
        self.settings = settings
        self.authority = authority

    def label(self) -> str:
        return str(_l("ID card"))

    def healthy(self) -> bool:
        return self.authority.healthy()

    # -- the page --------------------------------------------------------------------------------
    def begin(self, context: LoginContext):
        if not self.authority.reachable_now():
            return self._failed(context, "card_authority_unavailable")
        try:
            challenge = ic_card_challenge.create(
                context.interaction_uid, self.settings.challenge_lifetime
            )
        except ic_card_challenge.TooManyChallenges:
            return self._failed(context, "card_too_many_attempts")
        reader = self.settings.reader_url
        sign = {"origin": self._origin(), "challenge": challenge, "lang": context.ui_locale}
        response = make_response(
            render_template(
                "ic_card.html",
                uid=context.interaction_uid,
                challenge=challenge,
                reader_origin=reader,
                sign_origin=sign["origin"],
                sign_url=f"{reader}/sign?{urlencode(sign)}",
                status_url=f"{reader}/api/status",
                unblock_url=self._unblock_url(context),
            )
        )
        # Only this page may talk to the bridge (it asks /api/status before opening the popup);
        # its form's answer may redirect on to the service (remembered consent, a step-up).
        response.headers["Content-Security-Policy"] = content_security_policy(
            connect_src=reader, form_action=context.return_origin
        )
        return response

    def resume(self, context: LoginContext, request: Request):
        if request.method != "POST":
            return redirect(url_for("methods.begin", uid=context.interaction_uid, name=self.name))
        form = request.form
        if form.get("action") == "cancel":
            raise AuthnCancelled()
        if form.get("reader_error"):
            # Reported by the bridge through the page (a locked card, no card): nothing to verify.
            reported = form["reader_error"]
            return self._failed(context, f"card_{READER_ERRORS.get(reported, 'reader_error')}")
        serial = None
        try:
            challenge = ic_card_challenge.spend(form.get("challenge", ""), context.interaction_uid)
            token = webeid.parse_token(form.get("token", ""))
            checked = ic_card_certificate.check_certificate(
                token.certificate_der, list(self.settings.trusted), self.settings.clock_skew
            )
            serial = checked.serial_hex
            webeid.check_signature(token, checked.certificate, self._origin(), challenge)
            revocation = self._check_revocation(checked)
            holder = self.authority.load_holder(checked.eid)
            result = self._result(checked, holder)
        except webeid.TokenRejected as rejected:
            events.emit(
                events.CARD_REFUSED,
                client_id=self._client_id(context),
                reason=rejected.reason,
                certificate_serial=serial,
            )
            return self._failed(context, f"card_{rejected.reason}")
        except AuthorityUnavailable:
            return self._failed(context, "card_authority_unavailable")
        events.emit(
            events.CARD_VERIFIED,
            client_id=self._client_id(context),
            certificate_serial=serial,
            revocation=revocation,
        )
        return result

    # -- the checks ------------------------------------------------------------------------------
    def _check_revocation(self, checked: ic_card_certificate.CheckedCertificate) -> str:
        """OCSP, with the configured policy when the responder is down (fail closed)."""
        url = ocsp_client.responder_url(checked.certificate, self.settings.ocsp_url)
        try:
            ocsp_client.check_status(
                checked.certificate,
                checked.issuer,
                url,
                timeout=self.settings.timeout,
                max_age=self.settings.ocsp_max_age,
                skew=self.settings.clock_skew,
            )
        except ocsp_client.OcspUnavailable as down:
            log.warning("card.ocsp_unavailable url=%s reason=%s", url, down)
            if not self.settings.ocsp_fail_open:
                raise webeid.TokenRejected("ocsp_unavailable") from None
            return "not_checked"
        return "good"

    def _result(self, checked: ic_card_certificate.CheckedCertificate, holder: dict) -> AuthnResult:
        national_id = holder["national_identity_number"]
        born = hetu.birthdate(national_id)
        if born is None or born.isoformat() != holder["birthdate"]:
            raise webeid.TokenRejected("holder_invalid")
        return AuthnResult(
            method=self.name,
            issuer=self.settings.issuer_url,
            subject=checked.eid,  # the eID number: the same person across card renewals
            acr=self.acr,
            amr=AMR,
            auth_time=int(time.time()),
            attributes={
                "national_id": national_id,
                "given_name": holder["given_name"],
                "family_name": holder["family_name"],
                "birthdate": born.isoformat(),
            },
        )

    # -- helpers ---------------------------------------------------------------------------------
    def _origin(self) -> str:
        """The broker's own origin, from its issuer URL, never from the request."""
        return origin_of(current_app.config["ISSUER"])

    def _unblock_url(self, context: LoginContext) -> str:
        return f"{self.settings.reader_url}/pin/unblock?{urlencode({'lang': context.ui_locale})}"

    def _client_id(self, context: LoginContext) -> str | None:
        ia = db.session.get(Interaction, context.interaction_uid)
        return ia.client_id if ia is not None else None

    def _failed(self, context: LoginContext, code: str):
        """A page that explains the refusal and offers a way forward; audited as login.failed."""
        events.emit(
            events.LOGIN_FAILED, method=self.name, client_id=self._client_id(context), code=code
        )
        error_id = new_secret(6)
        logging.getLogger("silta.errors").warning(
            "error.shown", extra={"error_id": error_id, "code": code, "status": 400}
        )
        page = render_template(
            "ic_card_failed.html",
            uid=context.interaction_uid,
            kind=failure_kind(code),
            code=code,
            error_id=error_id,
            unblock_url=self._unblock_url(context),
        )
        return make_response(page, 400)
