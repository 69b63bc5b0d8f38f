"""The bridge's screen texts in English, Finnish and Japanese, and the choice between them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale
from flask import request
from flask import session as browser_cookie

LOCALES = ("en", "fi", "ja")
DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class Plural:
    """A text with a form per CLDR plural category, chosen by the number named `count`."""

    count: str
    forms: dict[str, str]


def plural(count: str, **forms: str) -> Plural:
    """Forms keyed by CLDR category (`one`, `other`, ...); `other` is required."""
    return Plural(count, forms)


MESSAGES: dict[str, dict[str, str | Plural]] = {
    "en": {
        "app": "Silta card reader",
        "skip": "Skip to content",
        "languages": "Language",
        "index.title": "Cards in the reader",
        "index.intro": "Your PIN is typed here, on your own computer, and goes only to the card.",
        "index.empty": "There is no card in the reader.",
        "index.holder": "Holder",
        "index.serial": "Card number",
        "index.state": "PIN",
        "index.change": "Change your PIN",
        "index.unblock": "Unblock a locked card",
        "state.tries": "{tries} of 3 tries left",
        "state.locked": "Locked",
        "card.legend": "Card",
        "card.option": "{holder}, card {serial}",
        "sign.title": "Identify yourself with your ID card",
        "sign.asking": "This site asks you to identify yourself:",
        "sign.pin": "PIN of the card",
        "sign.pin.hint": "4 to 12 digits. Only the card checks it: the site never sees it.",
        "sign.submit": "Identify",
        "sign.cancel": "Cancel",
        "change.title": "Change your PIN",
        "change.old": "Current PIN",
        "change.new": "New PIN",
        "change.new.hint": "4 to 12 digits.",
        "change.again": "New PIN again",
        "change.submit": "Change the PIN",
        "change.done": "Your PIN has been changed. Use the new PIN from now on.",
        "unblock.title": "Unblock your card",
        "unblock.intro": "At a PIN-reset desk an official checked your identity and gave you "
        "a one-time reset code. Type it here, then choose your new PIN yourself. Nobody else "
        "needs to know it.",
        "unblock.code": "Reset code",
        "unblock.code.hint": "12 characters, for example ABCD-EFGH-JKMN.",
        "unblock.submit": "Unblock the card",
        "unblock.done": "Your card is unblocked and has your new PIN.",
        "locked.title": "Your card is locked",
        "locked.text": "The PIN was typed wrong three times, so the card is locked. Visit a "
        "PIN-reset desk with an identity document: you get a one-time reset code there, and "
        "then you choose a new PIN yourself in this card reader.",
        "locked.unblock": "I have a reset code: unblock the card",
        "no_card.title": "No card in the reader",
        "no_card.text": "The card reader has no card. Insert your card and start again from "
        "the site.",
        "result.title": "Done",
        "result.token": "You have identified yourself. Continue in the window of {origin}.",
        "result.cancelled": "Cancelled. Nothing was signed.",
        "result.close": "Close this window",
        "result.home": "Cards in the reader",
        "problem": "There is a problem",
        "error.title": "Something stopped this",
        "error.id": "Error id",
        "error.card": "Choose a card.",
        "error.pin": "Type the PIN: 4 to 12 digits.",
        "error.new_pin": "Type a new PIN of 4 to 12 digits.",
        "error.pin_mismatch": "The new PINs are not the same. Type the new PIN twice.",
        "error.code": "Type the reset code: 12 letters and digits.",
        "error.wrong_pin": plural(
            "tries",
            one="The PIN is wrong. {tries} try left before the card locks.",
            other="The PIN is wrong. {tries} tries left before the card locks.",
        ),
        "error.invalid_code": plural(
            "tries",
            one="The reset code is wrong, already used or expired. {tries} try left.",
            other="The reset code is wrong, already used or expired. {tries} tries left.",
        ),
        "error.reset_blocked": "Too many wrong reset codes: this card can no longer be "
        "unblocked. Ask the card authority for a new card.",
        "error.issuer": "The card authority cannot be reached. Nothing on the card changed: "
        "try again in a moment.",
        "error.card_failed": "The card did not do what was asked. Nothing on it changed. Try "
        "again, and if it fails again, ask the card authority.",
        "error.no_card": "This card is not in the reader.",
        "error.origin": "This page was opened by a site that this card reader does not serve. "
        "Nothing was signed.",
        "error.challenge": "The identification request is not valid. Go back to the site and "
        "start again.",
        "error.bad_request": "The request could not be understood.",
        "error.not_found": "This page does not exist.",
        "error.csrf": "This form has expired. Go back, reload the page and try again.",
        "error.server": "Something went wrong in the card reader. Please try again.",
    },
    "fi": {
        "app": "Silta-kortinlukija",
        "skip": "Siirry sisältöön",
        "languages": "Kieli",
        "index.title": "Kortit lukijassa",
        "index.intro": "PIN-koodi kirjoitetaan tässä, omalla tietokoneellasi, ja se menee "
        "vain kortille.",
        "index.empty": "Lukijassa ei ole korttia.",
        "index.holder": "Haltija",
        "index.serial": "Kortin numero",
        "index.state": "PIN-koodi",
        "index.change": "Vaihda PIN-koodi",
        "index.unblock": "Avaa lukittu kortti",
        "state.tries": "{tries}/3 yritystä jäljellä",
        "state.locked": "Lukittu",
        "card.legend": "Kortti",
        "card.option": "{holder}, kortti {serial}",
        "sign.title": "Tunnistaudu henkilökortilla",
        "sign.asking": "Tämä palvelu pyytää sinua tunnistautumaan:",
        "sign.pin": "Kortin PIN-koodi",
        "sign.pin.hint": "4–12 numeroa. Vain kortti tarkistaa sen: palvelu ei näe sitä.",
        "sign.submit": "Tunnistaudu",
        "sign.cancel": "Peruuta",
        "change.title": "Vaihda PIN-koodi",
        "change.old": "Nykyinen PIN-koodi",
        "change.new": "Uusi PIN-koodi",
        "change.new.hint": "4–12 numeroa.",
        "change.again": "Uusi PIN-koodi uudelleen",
        "change.submit": "Vaihda PIN-koodi",
        "change.done": "PIN-koodi on vaihdettu. Käytä tästä lähtien uutta PIN-koodia.",
        "unblock.title": "Avaa kortin lukitus",
        "unblock.intro": "Virkailija tarkisti henkilöllisyytesi PIN-koodin nollauspisteessä "
        "ja antoi sinulle kertakäyttöisen nollauskoodin. Kirjoita se tähän ja valitse sitten "
        "itse uusi PIN-koodi. Kenenkään muun ei tarvitse tietää sitä.",
        "unblock.code": "Nollauskoodi",
        "unblock.code.hint": "12 merkkiä, esimerkiksi ABCD-EFGH-JKMN.",
        "unblock.submit": "Avaa lukitus",
        "unblock.done": "Kortin lukitus on avattu, ja kortilla on uusi PIN-koodisi.",
        "locked.title": "Korttisi on lukittu",
        "locked.text": "PIN-koodi kirjoitettiin väärin kolme kertaa, joten kortti on lukittu. "
        "Käy PIN-koodin nollauspisteessä henkilöllisyystodistuksen kanssa: saat sieltä "
        "kertakäyttöisen nollauskoodin, ja valitset sitten itse uuden PIN-koodin tässä "
        "kortinlukijassa.",
        "locked.unblock": "Minulla on nollauskoodi: avaa kortin lukitus",
        "no_card.title": "Lukijassa ei ole korttia",
        "no_card.text": "Kortinlukijassa ei ole korttia. Aseta kortti lukijaan ja aloita "
        "uudelleen palvelussa.",
        "result.title": "Valmis",
        "result.token": "Olet tunnistautunut. Jatka palvelun {origin} ikkunassa.",
        "result.cancelled": "Peruutettu. Mitään ei allekirjoitettu.",
        "result.close": "Sulje tämä ikkuna",
        "result.home": "Kortit lukijassa",
        "problem": "Tarkista tiedot",
        "error.title": "Toiminto keskeytyi",
        "error.id": "Virhetunniste",
        "error.card": "Valitse kortti.",
        "error.pin": "Kirjoita PIN-koodi: 4–12 numeroa.",
        "error.new_pin": "Kirjoita uusi PIN-koodi, 4–12 numeroa.",
        "error.pin_mismatch": "Uudet PIN-koodit eivät ole samat. Kirjoita uusi PIN-koodi kahdesti.",
        "error.code": "Kirjoita nollauskoodi: 12 kirjainta ja numeroa.",
        "error.wrong_pin": plural(
            "tries",
            one="PIN-koodi on väärä. {tries} yritys jäljellä ennen kuin kortti lukittuu.",
            other="PIN-koodi on väärä. {tries} yritystä jäljellä ennen kuin kortti lukittuu.",
        ),
        "error.invalid_code": plural(
            "tries",
            one="Nollauskoodi on väärä, jo käytetty tai vanhentunut. {tries} yritys jäljellä.",
            other="Nollauskoodi on väärä, jo käytetty tai vanhentunut. {tries} yritystä jäljellä.",
        ),
        "error.reset_blocked": "Liian monta väärää nollauskoodia: tämän kortin lukitusta ei voi "
        "enää avata. Pyydä korttiviranomaiselta uusi kortti.",
        "error.issuer": "Korttiviranomaiseen ei saada yhteyttä. Kortilla ei muuttunut mitään: "
        "yritä hetken kuluttua uudelleen.",
        "error.card_failed": "Kortti ei tehnyt pyydettyä toimintoa. Kortilla ei muuttunut "
        "mitään. Yritä uudelleen, ja jos se ei onnistu, ota yhteys korttiviranomaiseen.",
        "error.no_card": "Tämä kortti ei ole lukijassa.",
        "error.origin": "Tämän sivun avasi palvelu, jota tämä kortinlukija ei palvele. Mitään "
        "ei allekirjoitettu.",
        "error.challenge": "Tunnistuspyyntö ei kelpaa. Palaa palveluun ja aloita uudelleen.",
        "error.bad_request": "Pyyntöä ei voitu käsitellä.",
        "error.not_found": "Sivua ei ole.",
        "error.csrf": "Lomake on vanhentunut. Palaa takaisin, lataa sivu uudelleen ja yritä "
        "uudelleen.",
        "error.server": "Kortinlukijassa tapahtui virhe. Yritä uudelleen.",
    },
    "ja": {
        "app": "Silta カードリーダー",
        "skip": "本文へ移動",
        "languages": "言語",
        "index.title": "リーダー内のカード",
        "index.intro": "暗証番号はここ、あなた自身のコンピューターで入力し、カードにだけ"
        "送られます。",
        "index.empty": "リーダーにカードがありません。",
        "index.holder": "所有者",
        "index.serial": "カード番号",
        "index.state": "暗証番号",
        "index.change": "暗証番号を変更する",
        "index.unblock": "ロックされたカードを解除する",
        "state.tries": "残り {tries} 回（3 回中）",
        "state.locked": "ロック中",
        "card.legend": "カード",
        "card.option": "{holder}、カード {serial}",
        "sign.title": "IDカードで本人確認",
        "sign.asking": "次のサイトが本人確認を求めています：",
        "sign.pin": "カードの暗証番号",
        "sign.pin.hint": "4～12 桁の数字。確認するのはカードだけで、サイトには見えません。",
        "sign.submit": "本人確認する",
        "sign.cancel": "キャンセル",
        "change.title": "暗証番号の変更",
        "change.old": "現在の暗証番号",
        "change.new": "新しい暗証番号",
        "change.new.hint": "4～12 桁の数字。",
        "change.again": "新しい暗証番号（確認）",
        "change.submit": "暗証番号を変更する",
        "change.done": "暗証番号を変更しました。今後は新しい暗証番号を使ってください。",
        "unblock.title": "カードのロック解除",
        "unblock.intro": "暗証番号リセット窓口で職員が本人確認を行い、1 回限りのリセットコードを"
        "渡しました。ここに入力し、新しい暗証番号をご自身で決めてください。他の誰にも知らせる"
        "必要はありません。",
        "unblock.code": "リセットコード",
        "unblock.code.hint": "12 文字。例：ABCD-EFGH-JKMN",
        "unblock.submit": "ロックを解除する",
        "unblock.done": "カードのロックを解除し、新しい暗証番号を設定しました。",
        "locked.title": "カードがロックされています",
        "locked.text": "暗証番号を 3 回間違えたため、カードがロックされました。本人確認書類を"
        "持って暗証番号リセット窓口へお越しください。1 回限りのリセットコードを受け取り、この"
        "カードリーダーで新しい暗証番号をご自身で設定できます。",
        "locked.unblock": "リセットコードがあります：ロックを解除する",
        "no_card.title": "リーダーにカードがありません",
        "no_card.text": "カードリーダーにカードがありません。カードを挿入し、サイトからやり直して"
        "ください。",
        "result.title": "完了",
        "result.token": "本人確認が完了しました。{origin} のウィンドウで続けてください。",
        "result.cancelled": "キャンセルしました。何も署名していません。",
        "result.close": "このウィンドウを閉じる",
        "result.home": "リーダー内のカード",
        "problem": "入力内容を確認してください",
        "error.title": "処理を続けられません",
        "error.id": "エラーID",
        "error.card": "カードを選んでください。",
        "error.pin": "暗証番号（4～12 桁の数字）を入力してください。",
        "error.new_pin": "新しい暗証番号（4～12 桁の数字）を入力してください。",
        "error.pin_mismatch": "新しい暗証番号が一致しません。2 回同じ番号を入力してください。",
        "error.code": "リセットコード（英数字 12 文字）を入力してください。",
        "error.wrong_pin": "暗証番号が違います。カードがロックされるまで残り {tries} 回です。",
        "error.invalid_code": "リセットコードが違うか、使用済みまたは期限切れです。残り {tries} "
        "回です。",
        "error.reset_blocked": "リセットコードの誤りが多すぎるため、このカードはもう解除でき"
        "ません。カード発行機関に新しいカードを申請してください。",
        "error.issuer": "カード発行機関に接続できません。カードには何も変更していません。しばらく"
        "してからもう一度お試しください。",
        "error.card_failed": "カードが要求された処理を行いませんでした。カードには何も変更して"
        "いません。もう一度お試しください。再び失敗する場合はカード発行機関にお問い合わせ"
        "ください。",
        "error.no_card": "このカードはリーダーにありません。",
        "error.origin": "このページは、このカードリーダーが対応していないサイトから開かれました。"
        "何も署名していません。",
        "error.challenge": "本人確認の要求が正しくありません。サイトに戻ってやり直してください。",
        "error.bad_request": "リクエストを処理できませんでした。",
        "error.not_found": "このページは存在しません。",
        "error.csrf": "フォームの有効期限が切れました。戻ってページを再読み込みし、もう一度お試し"
        "ください。",
        "error.server": "カードリーダーでエラーが発生しました。もう一度お試しください。",
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
    plural_form = Locale.parse(locale).plural_form  # CLDR rules, as gettext's ngettext uses

    def t(key: str, **values: object) -> str:
        text = table.get(key) or MESSAGES[DEFAULT_LOCALE].get(key, key)
        if isinstance(text, Plural):
            text = text.forms.get(plural_form(values[text.count]), text.forms["other"])
        return text.format(**values) if values else text

    return t
