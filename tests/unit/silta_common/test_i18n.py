"""silta_common.i18n: the page language, chosen in one order by every component."""

from __future__ import annotations

import pytest
from flask import session

from silta_common import i18n


@pytest.mark.parametrize(
    ("url", "cookie", "ui_locales", "accept", "expected"),
    [
        ("/?lang=ja", "fi", "fi", "fi", "ja"),  # the visitor's choice first
        ("/?lang=sv", "fi", "ja", "ja", "fi"),  # an unsupported choice is not one
        ("/", "fi", "ja", "ja", "fi"),  # then the choice remembered
        ("/", None, "sv FI-fi ja", "ja", "fi"),  # then ui_locales: first supported, any case
        ("/", None, None, "sv, ja;q=0.8, fi;q=0.5", "ja"),  # then Accept-Language
        ("/", None, "sv", "de", "en"),  # then English
    ],
)
def test_the_order_of_choice(app, url, cookie, ui_locales, accept, expected):
    with app.test_request_context(url, headers={"Accept-Language": accept}):
        if cookie:
            session[i18n.CHOICE] = cookie
        assert i18n.select_locale(ui_locales) == expected


def test_a_choice_is_remembered_and_the_cookie_written_only_when_it_changes(app):
    with app.test_request_context("/?lang=fi"):
        assert i18n.select_locale() == "fi"
        assert session[i18n.CHOICE] == "fi" and session.modified
    with app.test_request_context("/?lang=fi"):
        session[i18n.CHOICE] = "fi"
        session.modified = False
        assert i18n.select_locale() == "fi"
        assert not session.modified  # a server-side session is not rewritten for nothing


def test_another_language_keeps_the_pages_other_parameters(app):
    with app.test_request_context("/sign?origin=https%3A%2F%2Fb.example&lang=fi&x=1&x=2"):
        assert i18n.with_lang("ja") == "/sign?origin=https%3A%2F%2Fb.example&x=1&x=2&lang=ja"


def test_the_switcher_names_each_language_in_itself_in_one_order():
    assert i18n.LANGUAGES == (("en", "English"), ("fi", "suomi"), ("ja", "日本語"))
    assert tuple(code for code, _ in i18n.LANGUAGES) == i18n.LOCALES
