"""silta_common.web: security headers in one pass, CSP as data, pages on the common base."""

from __future__ import annotations

import re

from flask import Response

from silta_common import web

POLICY = web.content_security_policy(("default-src", "'none'"), ("frame-ancestors", "'none'"))


def answer(app, hook, response: Response) -> Response:
    with app.test_request_context("/"):
        return hook(response)


def test_a_policy_is_its_directives_in_order():
    assert POLICY == "default-src 'none'; frame-ancestors 'none'"
    assert web.origin_of("https://tax.example:8443/callback?x=1") == "https://tax.example:8443"


def test_every_header_is_added_once_unless_the_view_set_its_own(app):
    hook = web.security_headers(POLICY)
    headers = answer(app, hook, Response("<p>", mimetype="text/html")).headers
    assert headers["Content-Security-Policy"] == POLICY
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    own = Response("{}", mimetype="application/json")
    own.headers["content-security-policy"] = "default-src 'self'"  # any case
    own.headers["Referrer-Policy"] = "same-origin"
    headers = answer(app, hook, own).headers
    assert headers.getlist("Content-Security-Policy") == ["default-src 'self'"]
    assert headers.getlist("Referrer-Policy") == ["same-origin"]
    assert "Cache-Control" not in headers  # JSON is cacheable unless said otherwise


def test_a_page_with_a_script_nonce_gets_its_own_policy_and_the_mimetypes_are_chosen(app):
    hook = web.security_headers(
        POLICY,
        script_policy=lambda nonce: f"script-src 'nonce-{nonce}'",
        referrer_policy="same-origin",
        no_store_but=("text/css",),
    )
    with app.test_request_context("/"):
        nonce = web.csp_nonce()
        assert web.csp_nonce() == nonce and len(nonce) >= 22  # one per request, 128 bits
        headers = hook(Response("{}", mimetype="application/json")).headers
    assert headers["Content-Security-Policy"] == f"script-src 'nonce-{nonce}'"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    css = answer(app, hook, Response("p{}", mimetype="text/css")).headers
    assert css["Content-Security-Policy"] == POLICY and "Cache-Control" not in css
    only = web.security_headers(POLICY, no_store=("text/html", "application/json"))
    assert answer(app, only, Response("{}", mimetype="application/json")).headers["Cache-Control"]
    assert "Cache-Control" not in answer(app, only, Response("x", mimetype="text/plain")).headers


def test_the_hook_is_a_plain_function():
    # The broker's ensure_sync answers plain functions from their code object (idp.framework).
    assert type(web.security_headers(POLICY)).__name__ == "function"


def test_a_page_extends_the_common_base(app):
    with app.test_request_context("/here?x=1"):
        response = web.render_page("page.html", status=201, headers={"X-Page": "1"}, text="hi")
    html = response.get_data(as_text=True)
    assert response.status_code == 201 and response.headers["X-Page"] == "1"
    assert html.startswith("<!doctype html>")
    assert '<html lang="en">' in html and "<title>Page · Test app</title>" in html
    assert '<a class="skip" href="#main">Skip to content</a>' in html
    assert '<main id="main" tabindex="-1">' in html and "<p>en: hi</p>" in html
    assert '<p class="brand">Test app</p>' in html
    assert "<footer" not in html  # no footer block, no empty landmark
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\2"\s*([^>]*)>([^<]+)</a>', html)
    assert [(href, lang, name) for href, lang, _, name in links] == [
        ("/here?x=1&amp;lang=en", "en", "English"),
        ("/here?x=1&amp;lang=fi", "fi", "suomi"),
        ("/here?x=1&amp;lang=ja", "ja", "日本語"),
    ]
    assert [current for *_, current, _ in links] == ['aria-current="true"', "", ""]
    assert '<nav aria-label="Language" class="languages">' in html


def test_a_footer_is_a_contentinfo_landmark_when_given(app):
    with app.test_request_context("/"):
        html = web.render_page("footed.html", text="hi").get_data(as_text=True)
    assert re.search(r'<footer class="site">\s*<a href="/help">Help</a>\s*</footer>', html)


def test_a_page_takes_the_requests_ui_locales_after_the_visitors_choice(app):
    with app.test_request_context("/", headers={"Accept-Language": "ja"}):
        html = web.render_page("page.html", ui_locales="fi-FI en", text="x").get_data(as_text=True)
    assert '<html lang="fi">' in html and "<p>fi: x</p>" in html
    with app.test_request_context("/?lang=ja"):
        html = web.render_page("page.html", ui_locales="fi", text="x").get_data(as_text=True)
    assert '<html lang="ja">' in html


def test_the_components_page_policy():
    assert web.page_policy() == (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    assert web.page_policy(form_action=["https://a.example"], script_src="'self'") == (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "form-action 'self' https://a.example; frame-ancestors 'none'; base-uri 'none'"
    )


def test_the_hook_calls_nothing_of_the_chassis_per_response(app):
    """The broker's hot path runs it on every answer: everything is decided when it is built."""
    import sys

    hook = web.security_headers(POLICY, script_policy=lambda nonce: nonce)
    ours = []

    def profile(frame, event, _arg):
        code = frame.f_code
        # Comprehensions are calls of their own before Python 3.12; they are the hook's body.
        if event == "call" and code.co_filename == web.__file__ and code.co_name[0] != "<":
            ours.append(code.co_name)

    with app.test_request_context("/"):
        response = Response("{}", mimetype="application/json")
        sys.setprofile(profile)
        try:
            hook(response)
        finally:
            sys.setprofile(None)
    assert ours == ["add_security_headers"]
