"""Journey: a newcomer opens the demo's start page, reads it in three languages, finds a service."""

from __future__ import annotations

TITLES = {"en": "Silta demo", "fi": "Siltan esittely", "ja": "Silta デモ"}


def test_the_start_page_in_three_languages_leads_to_the_services(page, demo, axe):
    page.goto(demo.layout.start_url)
    for lang, title in TITLES.items():
        page.locator(f'nav a[hreflang="{lang}"]').click()
        page.wait_for_url(f"**/?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").inner_text() == title
        axe(page, f"start page {lang}")
    running = demo.processes()
    links = page.locator("ul.services a")
    assert links.count() == sum(
        name in running for name in ("tax", "benefits", "municipal", "library")
    )
    if "tax" in running:
        links.first.click()
        page.wait_for_url(demo.layout.service_url(0) + "/**")
        axe(page, "tax home from the start page")
