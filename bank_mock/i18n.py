"""The bank's few screen texts in English, Finnish and Japanese, and the choice between them."""

from __future__ import annotations

from collections.abc import Callable

from flask import request
from flask import session as browser_cookie

LOCALES = ("en", "fi", "ja")
DEFAULT_LOCALE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "skip": "Skip to content",
        "languages": "Language",
        "login.title": "Identify yourself",
        "login.intro": "{service} asks you to identify yourself with {bank}.",
        "login.customer_number": "Customer number",
        "login.customer_number.hint": "8 digits",
        "login.password": "Password",
        "login.next": "Next",
        "code.title": "Key code",
        "code.intro": "Enter the 6-digit key code from your key code app.",
        "code.label": "Key code",
        "code.submit": "Log in",
        "release.title": "Pass your details?",
        "release.text": "Identify yourself to {service}. We will forward: name, "
        "personal identity code.",
        "release.continue": "Continue",
        "cancel": "Cancel",
        "login.failed": "The details you gave do not match our records. Check them and try again.",
        "login.locked": "Identification is locked for a while after too many wrong attempts. "
        "Try again later, or call the bank.",
        "error.title": "Identification cannot continue",
        "error.id": "Error id",
        "error.bad_request": "The request could not be understood. Return to the service and "
        "start again.",
        "error.login_expired": "This login has expired or was already finished. Return to the "
        "service and start again.",
        "error.rate_limited": "Too many attempts from your connection. Wait a minute and "
        "try again.",
        "error.unavailable": "The bank's identification service is not available right now. "
        "Please try again later.",
        "error.server": "Something went wrong on our side. Please try again in a moment.",
        "error.not_found": "This page does not exist.",
        "error.csrf": "This form has expired. Go back, reload the page and try again.",
        "index.text": "This is a demonstration bank. Start from a service that offers "
        "identification with {bank}.",
        "demo.codes": "Current key codes (demonstration only)",
        "demo.customer": "Customer",
        "demo.seconds_left": "Seconds left",
    },
    "fi": {
        "skip": "Siirry sisältöön",
        "languages": "Kieli",
        "login.title": "Tunnistaudu",
        "login.intro": "{service} pyytää sinua tunnistautumaan: {bank}.",
        "login.customer_number": "Asiakasnumero",
        "login.customer_number.hint": "8 numeroa",
        "login.password": "Salasana",
        "login.next": "Seuraava",
        "code.title": "Tunnusluku",
        "code.intro": "Anna 6-numeroinen tunnusluku tunnuslukusovelluksestasi.",
        "code.label": "Tunnusluku",
        "code.submit": "Kirjaudu",
        "release.title": "Välitetäänkö tietosi?",
        "release.text": "Tunnistaudu palveluun {service}. Välitämme: nimi, henkilötunnus.",
        "release.continue": "Jatka",
        "cancel": "Peruuta",
        "login.failed": "Antamasi tiedot eivät täsmää. Tarkista ne ja yritä uudelleen.",
        "login.locked": "Tunnistautuminen on lukittu hetkeksi liian monen väärän yrityksen "
        "jälkeen. Yritä myöhemmin uudelleen tai soita pankkiin.",
        "error.title": "Tunnistautuminen ei voi jatkua",
        "error.id": "Virhetunniste",
        "error.bad_request": "Pyyntöä ei voitu käsitellä. Palaa palveluun ja aloita alusta.",
        "error.login_expired": "Tämä tunnistautuminen on vanhentunut tai jo päättynyt. Palaa "
        "palveluun ja aloita alusta.",
        "error.rate_limited": "Liikaa yrityksiä yhteydestäsi. Odota hetki ja yritä uudelleen.",
        "error.unavailable": "Pankin tunnistuspalvelu ei ole juuri nyt käytettävissä. Yritä "
        "myöhemmin uudelleen.",
        "error.server": "Meillä tapahtui virhe. Yritä hetken kuluttua uudelleen.",
        "error.not_found": "Sivua ei ole.",
        "error.csrf": "Lomake on vanhentunut. Palaa takaisin, lataa sivu uudelleen ja yritä.",
        "index.text": "Tämä on esittelypankki. Aloita palvelusta, joka tarjoaa tunnistautumisen "
        "pankilla {bank}.",
        "demo.codes": "Voimassa olevat tunnusluvut (vain esittelyyn)",
        "demo.customer": "Asiakas",
        "demo.seconds_left": "Sekuntia jäljellä",
    },
    "ja": {
        "skip": "本文へ移動",
        "languages": "言語",
        "login.title": "本人確認",
        "login.intro": "{service} が {bank} での本人確認を求めています。",
        "login.customer_number": "お客様番号",
        "login.customer_number.hint": "8桁の数字",
        "login.password": "パスワード",
        "login.next": "次へ",
        "code.title": "確認コード",
        "code.intro": "確認コードアプリに表示される6桁のコードを入力してください。",
        "code.label": "確認コード",
        "code.submit": "ログイン",
        "release.title": "情報を提供しますか？",
        "release.text": "{service} に本人確認を行います。提供する情報：氏名、個人識別番号。",
        "release.continue": "続ける",
        "cancel": "キャンセル",
        "login.failed": "入力された情報が一致しません。確認して、もう一度お試しください。",
        "login.locked": "誤った入力が続いたため、本人確認をしばらく停止しています。"
        "時間をおいて再度お試しいただくか、銀行にお電話ください。",
        "error.title": "本人確認を続けられません",
        "error.id": "エラーID",
        "error.bad_request": "要求を処理できませんでした。"
        "サービスに戻り、最初からやり直してください。",
        "error.login_expired": "このログインは期限切れか、すでに完了しています。"
        "サービスに戻り、最初からやり直してください。",
        "error.rate_limited": "この接続からの試行が多すぎます。1分ほど待ってからお試しください。",
        "error.unavailable": "現在、銀行の本人確認サービスを利用できません。後ほどお試しください。",
        "error.server": "システムで問題が発生しました。しばらくしてからお試しください。",
        "error.not_found": "このページは存在しません。",
        "error.csrf": "フォームの有効期限が切れました。ページを再読み込みしてお試しください。",
        "index.text": "これはデモ用の銀行です。{bank} での本人確認に対応したサービスから"
        "始めてください。",
        "demo.codes": "現在の確認コード（デモ専用）",
        "demo.customer": "お客様",
        "demo.seconds_left": "残り秒数",
    },
}


def select_locale(ui_locales: str | None = None) -> str:
    """`?lang=` (remembered), then the request's ui_locales (OIDC Core §3.1.2.1), then the
    browser's Accept-Language, then English."""
    chosen = request.args.get("lang")
    if chosen in LOCALES:
        browser_cookie["lang"] = chosen
        return chosen
    if browser_cookie.get("lang") in LOCALES:
        return browser_cookie["lang"]
    for tag in (ui_locales or "").split():
        if tag.split("-")[0].lower() in LOCALES:
            return tag.split("-")[0].lower()
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def translator(locale: str) -> Callable[..., str]:
    """A function from message key (and format values) to the text in `locale`."""
    table = MESSAGES[locale]

    def t(key: str, **values: str) -> str:
        text = table.get(key) or MESSAGES[DEFAULT_LOCALE].get(key, key)
        return text.format(**values) if values else text

    return t
