"""Every application's gettext catalogue, as the suite finds, extracts and compiles them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# One catalogue per application (the Makefile's CATALOGUES), each with silta_common's texts.
APPLICATIONS = ("idp", "bank_mock", "card_mock/issuer", "card_mock/reader", "relying_parties")
SHARED = "silta_common"
LOCALES = ("fi", "ja")
# The -k options of `make translations-update` (and babel.cfg).
KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2", "lazy_pgettext:1c,2")


def translations(app: str) -> Path:
    return ROOT / app / "translations"


def po_path(app: str, locale: str) -> Path:
    return translations(app) / locale / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def first(msgid: str | tuple) -> str:
    """A plural entry's id is (singular, plural); the singular names it."""
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


def extract_afresh(app: str) -> set[tuple[str, str | None]]:
    """Every msgid of the application's code and templates now, as `pybabel extract` finds it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(KEYWORDS)}
    return {
        (first(message), context)
        for folder in (app, SHARED)
        for _file, _line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map, options_map, keywords=keywords
        )
        if first(message)
    }


def compile_catalogs() -> None:
    """What `make translations` does, for a checkout where it has not run (or ran before the
    last .po edit). .mo files are build products, ignored by git."""
    for app in APPLICATIONS:
        for locale in LOCALES:
            po = po_path(app, locale)
            mo = po.with_suffix(".mo")
            if not po.exists():  # test_translations names the missing catalogue
                continue
            if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                continue
            partial = mo.with_suffix(".partial.mo")  # still *.mo, so git ignores a leftover
            with partial.open("wb") as f:
                write_mo(f, read_catalog(po, locale), use_fuzzy=True)
            partial.replace(mo)  # atomic: a concurrent reader never sees half a file
