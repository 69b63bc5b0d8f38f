"""A small app on the chassis: a Babel, the common base template, two pages of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel
from jinja2 import DictLoader

from silta_common import i18n
from silta_common import web

TEMPLATES = {
    "base.html": (
        '{% extends "silta_common/base.html" %}{% block site %}Test app{% endblock %}'
        '{% block brand %}<p class="brand">Test app</p>{% endblock %}'
    ),
    "page.html": (
        '{% extends "base.html" %}{% block title %}{{ _("Page") }}{% endblock %}'
        "{% block content %}<p>{{ locale }}: {{ text }}</p>{% endblock %}"
    ),
    "footed.html": (
        '{% extends "page.html" %}{% block footer %}<a href="/help">Help</a>{% endblock %}'
    ),
    "error.html": "{{ error.code }} {{ error.message }} {{ error_id }}",
}


def chassis_app(tmp_path: Path) -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="k" * 32, TESTING=True)
    app.jinja_loader = DictLoader(TEMPLATES)
    i18n.init_app(app, Babel(), tmp_path / "no-catalogue")
    web.init_app(app)
    return app


@pytest.fixture
def app(tmp_path) -> Flask:
    return chassis_app(tmp_path)
