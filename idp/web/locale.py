"""The broker's page language: the citizen's choice, the interaction's, the browser's."""

from __future__ import annotations

from flask import current_app
from flask import g
from flask import request

from silta_common.i18n import browser_locale
from silta_common.i18n import chosen_locale
from silta_common.i18n import requested_locale

from ..extensions import db
from ..storage.models import Interaction


def select_locale() -> str:
    """`?lang=` (remembered), then the interaction's `ui_locales` (OIDC Core §3.1.2.1), then
    the browser's Accept-Language, then SILTA_DEFAULT_LOCALE."""
    return (
        chosen_locale()
        or requested_locale(_interaction_ui_locales())
        or browser_locale(current_app.config["DEFAULT_LOCALE"])
    )


def _interaction_ui_locales() -> str | None:
    uid = (request.view_args or {}).get("uid")
    if not uid or g.get("database_unavailable"):  # the 503 page must not ask the database
        return None
    ia = db.session.get(Interaction, uid)  # already loaded by the view: no second query
    return ia.params.get("ui_locales") if ia is not None else None
