"""The issuer's screen texts in English, Finnish and Japanese, and the choice between them."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask import session as browser_cookie

LOCALES = ("en", "fi", "ja")
DEFAULT_LOCALE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "authority": "Silta Card Authority (demonstration)",
        "skip": "Skip to content",
        "languages": "Language",
        "index.title": "ID cards",
        "index.text": "This demonstration authority issues virtual ID cards, answers "
        "certificate status queries and runs the PIN-reset desk.",
        "index.lost": "Report a lost card",
        "index.desk": "PIN-reset desk (officials)",
        "lost.title": "Report a lost card",
        "lost.intro": "The card stops working at once. This cannot be undone: you will need "
        "a new card.",
        "lost.serial": "Card number",
        "lost.serial.hint": "10 digits, printed on the card",
        "lost.national_id": "Personal identity code",
        "lost.national_id.hint": "For example 010170-999R",
        "lost.submit": "Revoke the card",
        "lost.done": "The card has been revoked. It can no longer be used to identify you.",
        "lost.no_match": "We found no card with this number for this personal identity code.",
        "desk.login.title": "PIN-reset desk: log in",
        "desk.official_id": "Official id",
        "desk.password": "Desk password",
        "desk.login.submit": "Log in",
        "desk.login.failed": "The official id or desk password is wrong.",
        "desk.title": "Authorise a PIN reset",
        "desk.intro": "Check the citizen's identity in person from an identity document. The "
        "citizen sets the new PIN on their card themselves: never ask for a PIN.",
        "desk.card_serial": "Card number",
        "desk.identity_checked": "I have verified the card holder's identity in person.",
        "desk.authorise": "Create a reset code",
        "desk.logout": "Log out",
        "desk.logged_in_as": "Logged in as {name}",
        "desk.code.title": "Reset code",
        "desk.code.intro": "Give this one-time code to the citizen for card {serial}. It "
        "works once, within {hours} hours. It is not shown again.",
        "desk.unknown_card": "No card has this number.",
        "error.title": "Something stopped this",
        "error.id": "Error id",
        "error.bad_request": "The request could not be understood.",
        "error.not_found": "This page does not exist.",
        "error.csrf": "This form has expired. Go back, reload the page and try again.",
        "error.rate_limited": "Too many attempts from your connection. Wait a minute.",
        "error.server": "Something went wrong on our side. Please try again in a moment.",
        "field.invalid": "This is missing, or not in the form shown.",
    },
    "fi": {
        "authority": "Silta-korttiviranomainen (esittely)",
        "skip": "Siirry sisältöön",
        "languages": "Kieli",
        "index.title": "Henkilökortit",
        "index.lost": "Ilmoita kadonnut kortti",
        "index.desk": "PIN-koodin nollaus (virkailijat)",
        "lost.title": "Ilmoita kadonnut kortti",
        "lost.serial": "Kortin numero",
        "lost.national_id": "Henkilötunnus",
        "lost.submit": "Sulje kortti",
        "lost.done": "Kortti on suljettu. Sillä ei voi enää tunnistautua.",
        "desk.login.title": "PIN-koodin nollaus: kirjaudu",
        "desk.official_id": "Virkailijatunnus",
        "desk.password": "Salasana",
        "desk.login.submit": "Kirjaudu",
        "desk.title": "Valtuuta PIN-koodin nollaus",
        "desk.card_serial": "Kortin numero",
        "desk.authorise": "Luo nollauskoodi",
        "desk.logout": "Kirjaudu ulos",
        "desk.code.title": "Nollauskoodi",
        "error.title": "Toiminto keskeytyi",
        "error.id": "Virhetunniste",
        "error.not_found": "Sivua ei ole.",
    },
    "ja": {
        "authority": "Silta カード発行機関（デモ）",
        "skip": "本文へ移動",
        "languages": "言語",
        "index.title": "IDカード",
        "index.lost": "カードの紛失を届け出る",
        "index.desk": "暗証番号リセット窓口（職員用）",
        "lost.title": "カードの紛失届",
        "lost.serial": "カード番号",
        "lost.national_id": "個人識別番号",
        "lost.submit": "カードを失効させる",
        "lost.done": "カードを失効させました。本人確認には使えません。",
        "desk.login.title": "暗証番号リセット窓口：ログイン",
        "desk.official_id": "職員ID",
        "desk.password": "窓口パスワード",
        "desk.login.submit": "ログイン",
        "desk.title": "暗証番号リセットの承認",
        "desk.card_serial": "カード番号",
        "desk.authorise": "リセットコードを発行",
        "desk.logout": "ログアウト",
        "desk.code.title": "リセットコード",
        "error.title": "処理を続けられません",
        "error.id": "エラーID",
        "error.not_found": "このページは存在しません。",
    },
}


def select_locale() -> str:
    """`?lang=` (remembered), then the browser's Accept-Language, then English."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        browser_cookie["lang"] = chosen
        return chosen
    if browser_cookie.get("lang") in LOCALES:
        return browser_cookie["lang"]
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def translator(locale: str) -> Callable[..., str]:
    """A function from message key (and format values) to the text in `locale`."""
    table = MESSAGES[locale]

    def t(key: str, **values: object) -> str:
        text = table.get(key) or MESSAGES[DEFAULT_LOCALE].get(key, key)
        return text.format(**values) if values else text

    return t
