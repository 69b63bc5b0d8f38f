"""The fi and ja catalogs cover every UI string, and pages render in the language chosen.

Independent of the Makefile: the catalogs are read and, when needed, compiled here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "idp" / "translations"
POT = TRANSLATIONS / "messages.pot"
LOCALES = ("fi", "ja")
KEYWORDS = ("_l", "lazy_gettext")  # the -k options of `make translations-update`
PLACEHOLDER = re.compile(r"%\(([^)]*)\)")

HOW_TO_UPDATE = """
To bring the catalogs up to date, run from the repository root:

    make translations-update

which is:

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext \\
        -o idp/translations/messages.pot .
    .venv/bin/pybabel update -i idp/translations/messages.pot -d idp/translations -l fi
    .venv/bin/pybabel update -i idp/translations/messages.pot -d idp/translations -l ja

then translate every new or fuzzy entry by hand in
idp/translations/fi/LC_MESSAGES/messages.po and idp/translations/ja/LC_MESSAGES/messages.po
(remove the `#, fuzzy` line once an entry is checked)."""


def read_catalog(path: Path, locale: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def first(msgid: str | tuple) -> str:
    """A plural entry's id is (singular, plural); the singular names it."""
    return msgid[0] if isinstance(msgid, tuple) else msgid


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


def template_ids() -> dict[tuple[str, str | None], object]:
    return {(first(m.id), m.context): m for m in read_catalog(POT) if m.id}


def test_template_locations_are_relative_to_the_repository():
    locations = {filename for m in read_catalog(POT) for filename, _line in m.locations}
    assert locations, "the .pot names no source files"
    wrong = sorted(f for f in locations if not f.startswith("idp/"))
    assert wrong == [], f"absolute or unexpected paths in messages.pot: {wrong}\n{HOW_TO_UPDATE}"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_with_the_same_placeholders(locale):
    catalog = read_catalog(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    assert not catalog.fuzzy, f"the {locale} catalog header is marked fuzzy"
    problems = []
    for (msgid, context), template in template_ids().items():
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
        f"idp/translations/{locale}/LC_MESSAGES/messages.po:\n  "
        + "\n  ".join(problems)
        + "\n"
        + HOW_TO_UPDATE
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_hold_no_message_the_template_lacks(locale):
    catalog = read_catalog(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale)
    known = template_ids()
    stale = sorted(first(m.id) for m in catalog if m.id and (first(m.id), m.context) not in known)
    assert stale == [], f"{locale} has messages that messages.pot lacks: {stale}\n{HOW_TO_UPDATE}"


def extract_afresh() -> set[tuple[str, str | None]]:
    """Every msgid the code and templates hold now, extracted as `pybabel extract` does."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(KEYWORDS)}
    return {
        (first(message), context)
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=keywords
        )
        if first(message)
    }


def test_every_ui_string_in_the_code_is_in_the_template():
    fresh = extract_afresh()
    assert len(fresh) > 20, "extraction found almost nothing: is babel.cfg still right?"
    missing = sorted(msgid for msgid, _context in fresh - template_ids().keys())
    assert missing == [], (
        "These UI strings are in the code but not in idp/translations/messages.pot:\n  "
        + "\n  ".join(repr(m) for m in missing)
        + "\n"
        + HOW_TO_UPDATE
    )


def compile_catalogs() -> None:
    """What `make translations` does, for a checkout where it has not run (or ran before the
    last .po edit). .mo files are build products, ignored by git."""
    for locale in LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        partial = mo.with_suffix(".partial.mo")  # still *.mo, so git ignores a leftover
        with partial.open("wb") as f:
            write_mo(f, read_catalog(po, locale), use_fuzzy=True)
        partial.replace(mo)  # atomic: a concurrent reader never sees half a file


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
