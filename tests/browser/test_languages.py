"""Every public page type in English, French, German and Polish: 0 axe violations on a phone,
no sideways scrolling at 390 px (long German words wrap), the right <html lang> and hreflang
alternates; the language switcher works with a keyboard alone."""

import pytest

from clustertalks.talks.models import TalkTranslation

from .conftest import MOBILE, PAGE_TYPES, describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "de", "pl"]
LONG_GERMAN = ("Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft "
               "und Clusterförderungsverwaltungsvereinfachungsgesetz")


def in_language(path: str, code: str) -> str:
    return path if code == "en" else f"/{code}{path}"


@pytest.fixture
def multilingual_site(site, languages):
    talk = site.talks["upcoming"]
    TalkTranslation.objects.create(talk=talk, language="de", title=LONG_GERMAN,
                                   abstract="Arbeitsmarktintegrationsmaßnahmenfinanzierung. " * 3)
    TalkTranslation.objects.create(talk=talk, language="pl", title="Umiejętności dla klastrów",
                                   abstract="Po polsku.")
    return site


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_in_each_language(new_page, multilingual_site, name, code):
    site = multilingual_site
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, timezone_id="America/New_York")
    url = site.base + in_language(site.urls[name], code)
    response = page.goto(url)
    expected = 404 if name == "not_found" else 200
    assert response is not None and response.status == expected, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    assert page.get_attribute("html", "lang") == code
    if expected == 200:
        alternates = dict(page.eval_on_selector_all(
            'link[rel="alternate"][hreflang]', "links => links.map(l => [l.hreflang, l.href])"))
        assert set(alternates) == {*LANGUAGES, "x-default"}, alternates
        path = site.urls[name].split("?")[0]
        assert alternates["x-default"].endswith(path) and alternates["de"].endswith("/de" + path)
    violations = run_axe(page)
    assert not violations, f"{url}\n" + describe_violations(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone"
    if name == "talk_upcoming":
        save_screenshot(page, f"{name}-{code}-mobile")


def test_switcher_by_keyboard_remembers_the_choice(new_page, multilingual_site):
    site = multilingual_site
    page = new_page(locale="en-GB")
    page.goto(site.base + site.urls["talk_upcoming"])
    summary = page.locator(".language-switcher summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator(".language-switcher").get_attribute("open") is not None
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    german = page.locator('.language-switcher a[hreflang="de"]')
    assert german.get_attribute("lang") == "de" and german.inner_text() == "Deutsch"
    german.focus()
    with page.expect_navigation(url="**/de/**"):
        page.keyboard.press("Enter")
    assert page.url.startswith(site.base + "/de/") and page.get_attribute("html", "lang") == "de"
    assert LONG_GERMAN.split()[0] in page.inner_text("h1")
    # The choice is remembered: the English address now leads to German.
    page.goto(site.base + site.urls["archive"])
    assert page.url == site.base + "/de" + site.urls["archive"]


def test_first_visit_follows_the_browser_language(new_page, multilingual_site):
    page = new_page(locale="pl-PL")
    page.goto(multilingual_site.base + "/")
    assert page.url.endswith("/pl/") and page.get_attribute("html", "lang") == "pl"
