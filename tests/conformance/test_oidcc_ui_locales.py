"""oidcc-ui-locales: the broker's pages speak the first supported language of `ui_locales`.

OIDC Core §3.1.2.1 (`ui_locales`, preferred first, BCP47 tags); discovery lists
`ui_locales_supported` (OIDC Discovery §3). `fi-FI` falls back to `fi`.
"""

from __future__ import annotations

import pytest

from .logins import second_id_token


@pytest.mark.parametrize(
    ("ui_locales", "lang"), [("fi-FI en", "fi"), ("ja", "ja"), ("sv fi", "fi"), ("en", "en")]
)
def test_method_choice_speaks_the_requested_language(flow, browser, ui_locales, lang):
    supported = browser.get("/.well-known/openid-configuration").get_json()
    assert lang in supported["ui_locales_supported"]
    flow.authorize(ui_locales=ui_locales)
    page = flow.method_choice().get_data(as_text=True)
    assert f'<html lang="{lang}"' in page
    second_id_token(flow)
