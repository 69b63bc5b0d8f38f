"""The broker's security headers and CSP: every answer's headers built once, one pass each.

Every answer carries the script-free policy, built once; a page that runs a script has a nonce
(silta_common's ``csp_nonce``) and gets a policy naming it. ``add_security_headers`` runs on the
hot path (decision 0001), so it is silta_common's plain-function hook with everything prebuilt.
"""

from __future__ import annotations

from flask import g

from silta_common.web import NONCE
from silta_common.web import content_security_policy as policy_of
from silta_common.web import csp_nonce
from silta_common.web import security_headers

__all__ = ["NO_SCRIPT_POLICY", "add_security_headers", "content_security_policy", "csp_nonce"]
_CLOSED = (("frame-ancestors", "'none'"), ("base-uri", "'none'"), ("object-src", "'none'"))


def content_security_policy(connect_src: str = "", form_action: str = "") -> str:
    """The pages' CSP; a page that talks to one more origin (the card page) names it.

    ``form_action`` names the one service origin a page's form may end up at: browsers apply
    form-action to the redirects after a submission too (CSP 3 §6.4.1), so the consent form,
    whose answer redirects to the service, needs its redirect URI's origin.
    """
    return _policy(g.get(NONCE), connect_src, form_action)


def _policy(nonce: str | None, connect_src: str = "", form_action: str = "") -> str:
    script = f"'nonce-{nonce}'" if nonce else "'none'"
    directives = [("default-src", "'self'"), ("script-src", script)]
    if connect_src:
        directives.append(("connect-src", f"'self' {connect_src}"))
    directives += [
        ("style-src", "'self'"),
        ("img-src", "'self' data:"),
        ("form-action", f"'self' {form_action}" if form_action else "'self'"),
        *_CLOSED,
    ]
    return policy_of(*directives)


NO_SCRIPT_POLICY = _policy(None)
# A page that ran a script has a nonce; every other answer (JSON, a redirect) the same policy,
# built once.
add_security_headers = security_headers(
    NO_SCRIPT_POLICY, script_policy=_policy, referrer_policy="same-origin"
)
