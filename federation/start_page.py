"""The demo's start page: the four services, what the demo shows, in English, Finnish, Japanese.

Served by the `silta demo` supervisor itself on its own port (8430), so it needs no process of
its own; it sets no cookie and has no form. Its strings live here and not in the broker's
catalogues because the page is part of the demo, not of the broker.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask import Response
from flask import render_template_string
from flask import request
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import make_server

LANGUAGES = {"en": "English", "fi": "Suomi", "ja": "日本語"}
TEXT = {
    "en": {
        "title": "Silta demo",
        "intro": [
            "Silta is an identity broker: public services send you to it, and you log in with "
            "the bank you already use or with your ID card.",
            "Pick a service below and log in with one of the test logins the demo printed.",
            "Before any data reaches a service, Silta asks for your consent, and “My data” "
            "shows every release.",
        ],
        "services": "Services",
        "more": "Also in the demo",
        "down": "not running in this demo",
        "my_data": "My data at Silta",
        "reader": "ID card reader",
        "desk": "PIN-reset desk (for officials)",
        "codes": "key codes",
        "language": "Language",
    },
    "fi": {
        "title": "Siltan esittely",
        "intro": [
            "Silta on tunnistuksen välityspalvelu: julkiset palvelut ohjaavat sinut sinne, ja "
            "tunnistaudut omalla pankillasi tai henkilökortillasi.",
            "Valitse alta palvelu ja kirjaudu jollakin esittelyn tulostamista testitunnuksista.",
            "Silta kysyy suostumustasi ennen kuin tietoja annetaan palvelulle, ja "
            "”Omat tiedot” näyttää jokaisen luovutuksen.",
        ],
        "services": "Palvelut",
        "more": "Esittelyssä myös",
        "down": "ei käynnissä tässä esittelyssä",
        "my_data": "Omat tiedot Siltassa",
        "reader": "Henkilökortin lukija",
        "desk": "PIN-koodin palautus (virkailijoille)",
        "codes": "avainluvut",
        "language": "Kieli",
    },
    "ja": {
        "title": "Silta デモ",
        "intro": [
            "Silta は本人確認の仲介サービスです。行政サービスから Silta に移り、"
            "普段使っている銀行かIDカードでログインします。",
            "下のサービスを選び、デモが表示したテスト用ログインでログインしてください。",
            "サービスにデータが渡る前に Silta が同意を求め、"
            "「わたしの情報」ですべての提供履歴を確認できます。",
        ],
        "services": "サービス",
        "more": "デモのその他の部分",
        "down": "このデモでは起動していません",
        "my_data": "Silta の「わたしの情報」",
        "reader": "IDカードリーダー",
        "desk": "暗証番号リセット窓口（職員用）",
        "codes": "確認コード",
        "language": "言語",
    },
}
PAGE = """<!doctype html>
<html lang="{{ lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ t.title }}</title><link rel="stylesheet" href="/start.css"></head>
<body>
<header><h1>{{ t.title }}</h1>
<nav aria-label="{{ t.language }}"><ul class="languages">
{% for code, label in languages.items() %}<li><a href="/?lang={{ code }}" lang="{{ code }}"
 hreflang="{{ code }}"{% if code == lang %} aria-current="page"{% endif %}>{{ label }}</a></li>
{% endfor %}</ul></nav></header>
<main>
{% for line in t.intro %}<p>{{ line }}</p>{% endfor %}
<h2>{{ t.services }}</h2>
<ul class="services">{% for s in services %}<li>
{% if s.url %}<a href="{{ s.url }}">{{ s.name[lang] }}</a>
{% else %}{{ s.name[lang] }} ({{ t.down }}){% endif %}</li>{% endfor %}</ul>
<h2>{{ t.more }}</h2>
<ul>
<li><a href="{{ links.broker }}/account/">{{ t.my_data }}</a></li>
{% for name, url in links.banks %}
<li><a href="{{ url }}/demo/key-codes">{{ name }}: {{ t.codes }}</a></li>{% endfor %}
{% if links.reader %}<li><a href="{{ links.reader }}/">{{ t.reader }}</a></li>{% endif %}
{% if links.issuer %}<li><a href="{{ links.issuer }}/desk/login">{{ t.desk }}</a></li>{% endif %}
</ul>
</main>
</body>
</html>
"""
STYLE = """body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;
color:#1a1a1a;background:#fff;line-height:1.5}a{color:#0b3d6e}a:focus{outline:3px solid #1a1a1a;
outline-offset:2px}.languages{list-style:none;padding:0;display:flex;gap:1rem}
.services li{margin:.5rem 0;font-size:1.15rem}[aria-current]{font-weight:bold}
"""
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class ServiceLink:
    """One service: its names by language and its URL (None when it is not running)."""

    name: dict[str, str]
    url: str | None


def create_start_app(services: list[ServiceLink], links: dict[str, Any]) -> Flask:
    """The start page app: `/` in the language asked for, `/start.css`, `/healthz`."""
    app = Flask(__name__)

    @app.get("/")
    def start() -> str:
        asked = request.args.get("lang")
        lang = asked if asked in LANGUAGES else request.accept_languages.best_match(LANGUAGES)
        lang = lang or "en"
        return render_template_string(
            PAGE, lang=lang, t=TEXT[lang], languages=LANGUAGES, services=services, links=links
        )

    @app.get("/start.css")
    def style() -> Response:
        return Response(STYLE, mimetype="text/css")

    @app.get("/healthz")
    def healthz() -> Response:
        return Response("ok\n", mimetype="text/plain")

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    return app


def serve_in_background(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """Serve the start page from a daemon thread; returns the server (call shutdown())."""
    server = make_server(host, port, app, threaded=True)
    threading.Thread(target=server.serve_forever, name="demo-start-page", daemon=True).start()
    return server
