"""Template filters: times and assurance levels as a citizen reads them."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from flask import Flask
from flask import request
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from .. import assurance

_LEVEL_NAMES = {assurance.SUBSTANTIAL: _l("substantial"), assurance.HIGH: _l("high")}


def isotime(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat()


def localtime(epoch: int) -> str:
    return format_datetime(datetime.datetime.fromtimestamp(epoch, datetime.UTC), "medium")


def acr_label(acr: str) -> str:
    return str(_LEVEL_NAMES.get(assurance.level(acr), acr))


def with_lang(code: str) -> str:
    """This page's address in another language, keeping its other query parameters."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', code)])}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["with_lang"] = with_lang
    app.add_template_filter(isotime)
    app.add_template_filter(localtime)
    app.add_template_filter(acr_label)
