"""The page language, chosen one way everywhere, and its texts from gettext catalogues via Babel.

Every application speaks English, Finnish and Japanese, chosen in this order: the visitor's own
choice (``?lang=``, remembered in the browser cookie), then the request's ``ui_locales`` (OIDC
Core §3.1.2.1), then the browser's Accept-Language, then the default. Each application has its
own catalogue, ``<app>/translations/<locale>/LC_MESSAGES/messages.po``, read by Flask-Babel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from flask import request
from flask import session as browser_cookie
from flask_babel import Babel
from flask_babel import get_locale

LOCALES = ("en", "fi", "ja")
DEFAULT_LOCALE = "en"
# The language switcher, in the same order in every component, each name in its own language.
LANGUAGES = (("en", "English"), ("fi", "suomi"), ("ja", "日本語"))
CHOICE = "lang"  # the query parameter, and the browser cookie's key that remembers it


def chosen_locale() -> str | None:
    """The visitor's own choice: ``?lang=`` (then remembered), or the one remembered."""
    chosen = request.args.get(CHOICE)
    if chosen in LOCALES:
        if browser_cookie.get(CHOICE) != chosen:  # a server-side session is written on change
            browser_cookie[CHOICE] = chosen
        return chosen
    remembered = browser_cookie.get(CHOICE)
    return remembered if remembered in LOCALES else None


def requested_locale(ui_locales: str | None) -> str | None:
    """The first supported language of a request's ``ui_locales`` (OIDC Core §3.1.2.1)."""
    for tag in (ui_locales or "").split():
        primary = tag.split("-")[0].lower()
        if primary in LOCALES:
            return primary
    return None


def browser_locale(default: str = DEFAULT_LOCALE) -> str:
    """The browser's preferred supported language (Accept-Language), else ``default``."""
    best: str | None = request.accept_languages.best_match(LOCALES)
    return best or default


def select_locale(ui_locales: str | None = None) -> str:
    """The page language: the visitor's choice, then ``ui_locales``, then the browser's."""
    return chosen_locale() or requested_locale(ui_locales) or browser_locale()


def with_lang(code: str) -> str:
    """This page's address in another language, keeping its other query parameters."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != CHOICE]
    return f"{request.path}?{urlencode([*args, (CHOICE, code)])}"


def init_app(
    app: Flask,
    babel: Babel,
    translations: Path,
    *,
    locale_selector: Callable[[], str] = select_locale,
    default_locale: str = DEFAULT_LOCALE,
) -> None:
    """Bind ``babel`` to the app's own catalogue and give its templates the language switcher.

    One Babel per application package: Flask-Babel caches a catalogue per Babel instance.
    """
    babel.init_app(
        app,
        default_locale=default_locale,
        default_translation_directories=str(translations),
        locale_selector=locale_selector,
    )
    app.jinja_env.globals.update(
        get_locale=get_locale, language_href=with_lang, languages=LANGUAGES
    )
