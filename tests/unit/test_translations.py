"""Each application's fi and ja catalogues cover its UI strings; pages speak the language chosen.

Independent of the Makefile: the catalogues are read, extracted afresh and compiled here.
"""

from __future__ import annotations

import re

import pytest

from tests.support.translations import APPLICATIONS
from tests.support.translations import LOCALES
from tests.support.translations import ROOT
from tests.support.translations import SHARED
from tests.support.translations import compile_catalogs
from tests.support.translations import extract_afresh
from tests.support.translations import first
from tests.support.translations import po_path
from tests.support.translations import read_catalog
from tests.support.translations import translations

PLACEHOLDER = re.compile(r"%\(([^)]*)\)")
CATALOGUES = [(app, locale) for app in APPLICATIONS for locale in LOCALES]

HOW_TO_UPDATE = """
To bring the catalogues up to date, run from the repository root:

    make translations-update

which, for each application APP (idp, bank_mock, card_mock/issuer, card_mock/reader,
relying_parties), is:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \\
        -k lazy_pgettext:1c,2 -o APP/translations/messages.pot APP silta_common
    .venv/bin/pybabel update -i APP/translations/messages.pot -d APP/translations -l fi
    .venv/bin/pybabel update -i APP/translations/messages.pot -d APP/translations -l ja

then translate every new or fuzzy entry by hand in APP/translations/fi/LC_MESSAGES/messages.po
and APP/translations/ja/LC_MESSAGES/messages.po (remove the `#, fuzzy` line once an entry is
checked)."""


def texts(value: str | tuple | None) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(v or "" for v in value)
    return (value or "",)


def placeholders(value: str | tuple | None) -> set[str]:
    return {name for text in texts(value) for name in PLACEHOLDER.findall(text)}


def formats(text: str, names: set[str]) -> bool:
    """Whether `text % {...}` works, as Jinja's new-style gettext applies it to every string."""
    try:
        text % dict.fromkeys(names, "x")
    except (KeyError, ValueError, TypeError):
        return False
    return True


def template_ids(app: str) -> dict[tuple[str, str | None], object]:
    pot = read_catalog(translations(app) / "messages.pot")
    return {(first(m.id), m.context): m for m in pot if m.id}


@pytest.mark.parametrize("app", APPLICATIONS)
def test_template_locations_are_relative_to_the_repository(app):
    pot = read_catalog(translations(app) / "messages.pot")
    locations = {filename for m in pot for filename, _line in m.locations}
    assert locations, f"{app}/translations/messages.pot names no source files"
    wrong = sorted(f for f in locations if not f.startswith((f"{app}/", f"{SHARED}/")))
    assert wrong == [], (
        f"absolute or unexpected paths in {app}'s messages.pot: {wrong}\n{HOW_TO_UPDATE}"
    )


@pytest.mark.parametrize(("app", "locale"), CATALOGUES)
def test_every_message_is_translated_with_the_same_placeholders(app, locale):
    catalog = read_catalog(po_path(app, locale), locale)
    assert not catalog.fuzzy, f"the {app} {locale} catalogue header is marked fuzzy"
    problems = []
    for (msgid, context), template in template_ids(app).items():
        message = catalog.get(template.id, context=context)
        if message is None:
            problems.append(f"missing: {msgid!r}")
            continue
        if "fuzzy" in message.flags:
            problems.append(f"fuzzy: {msgid!r}")
        if not all(t.strip() for t in texts(message.string)):
            problems.append(f"untranslated: {msgid!r}")
            continue
        expected, found = placeholders(message.id), placeholders(message.string)
        if found != expected:
            problems.append(
                f"placeholders {sorted(found)} instead of {sorted(expected)}: {msgid!r}"
            )
        elif all(formats(t, expected) for t in texts(message.id)) and not all(
            formats(t, expected) for t in texts(message.string)
        ):
            problems.append(f"stray % in the translation: {msgid!r}")
    assert problems == [], (
        f"{po_path(app, locale).relative_to(ROOT)}:\n  "
        + "\n  ".join(problems)
        + "\n"
        + HOW_TO_UPDATE
    )


@pytest.mark.parametrize(("app", "locale"), CATALOGUES)
def test_catalogues_hold_no_message_the_template_lacks(app, locale):
    catalog = read_catalog(po_path(app, locale), locale)
    known = template_ids(app)
    stale = sorted(first(m.id) for m in catalog if m.id and (first(m.id), m.context) not in known)
    assert stale == [], (
        f"{app} {locale} has messages its messages.pot lacks: {stale}\n{HOW_TO_UPDATE}"
    )


@pytest.mark.parametrize("app", APPLICATIONS)
def test_every_ui_string_in_the_code_is_in_the_template(app):
    fresh = extract_afresh(app)
    assert len(fresh) > 20, "extraction found almost nothing: is babel.cfg still right?"
    missing = sorted(msgid for msgid, _context in fresh - template_ids(app).keys())
    assert missing == [], (
        f"These UI strings are in the code but not in {app}/translations/messages.pot:\n  "
        + "\n  ".join(repr(m) for m in missing)
        + "\n"
        + HOW_TO_UPDATE
    )


@pytest.fixture(scope="module")
def compiled():
    compile_catalogs()


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_english_is_the_default(compiled, flow):
    flow.authorize()
    html = html_of(flow.method_choice())
    assert '<html lang="en">' in html
    assert "Choose how to identify yourself" in html


def test_ui_locales_of_the_request_chooses_finnish(compiled, flow):
    flow.authorize(ui_locales="fi-FI en")
    html = html_of(flow.method_choice())
    assert '<html lang="fi">' in html
    assert "Valitse tunnistustapa" in html
    assert "Palvelu Tax Administration pyytää sinua tunnistautumaan." in html
    assert "Choose how to identify yourself" not in html


def test_lang_query_chooses_japanese(compiled, flow):
    flow.authorize(ui_locales="fi")
    html = html_of(flow.browser.get(flow.interaction, query_string={"lang": "ja"}))
    assert '<html lang="ja">' in html
    assert "本人確認の方法を選択してください" in html
    assert "Tax Administration から本人確認を求められています。" in html


def test_accept_language_chooses_japanese(compiled, flow):
    flow.authorize()
    html = html_of(flow.browser.get(flow.interaction, headers={"Accept-Language": "ja,en;q=0.5"}))
    assert '<html lang="ja">' in html
    assert "本人確認の方法を選択してください" in html


def test_consent_page_in_finnish_translates_the_python_strings_too(compiled, flow):
    flow.authorize(ui_locales="fi", scope="openid profile")
    flow.login()
    assert flow.resume().headers["Location"].endswith("/consent")
    html = html_of(flow.consent_page())
    assert '<html lang="fi">' in html
    assert "Luovutetaanko tietosi palvelulle Tax Administration?" in html
    assert "Etunimesi" in html  # a claim label, marked with _l in idp/consent/service.py
