"""Template filters: times and assurance levels as a citizen reads them."""

from __future__ import annotations

import datetime

from flask import Flask
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from .. import assurance

_LEVEL_NAMES = {assurance.SUBSTANTIAL: _l("substantial"), assurance.HIGH: _l("high")}


def isotime(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).isoformat()


def localtime(epoch: int) -> str:
    return str(format_datetime(datetime.datetime.fromtimestamp(epoch, datetime.UTC), "medium"))


def acr_label(acr: str) -> str:
    return str(_LEVEL_NAMES.get(assurance.level(acr), acr))


def init_app(app: Flask) -> None:
    app.add_template_filter(isotime)
    app.add_template_filter(localtime)
    app.add_template_filter(acr_label)
