"""The service's texts in English, Finnish and Japanese (translations/<locale>.toml).

The language is chosen by `?lang=` (remembered in the session), then the browser's
Accept-Language, then English. The broker is asked to speak the same (`ui_locales`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import request
from flask import session

LOCALES = ("en", "fi", "ja")
DEFAULT_LOCALE = "en"
FOLDER = Path(__file__).resolve().parent / "translations"
LANGUAGE_NAMES = (("fi", "Suomi"), ("en", "English"), ("ja", "日本語"))


@cache
def messages(locale: str) -> dict[str, str]:
    """One language's texts, read once."""
    return tomllib.loads((FOLDER / f"{locale}.toml").read_text(encoding="utf-8"))


def select_locale() -> str:
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        if session.get("lang") != chosen:
            session["lang"] = chosen
        return chosen
    if session.get("lang") in LOCALES:
        return session["lang"]
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def translator(locale: str) -> Callable[..., str]:
    """A function from message key (and format values) to the text in `locale`."""
    table, fallback = messages(locale), messages(DEFAULT_LOCALE)

    def t(key: str, **values: object) -> str:
        text = table.get(key) or fallback.get(key, key)
        return text.format(**values) if values else text

    return t
