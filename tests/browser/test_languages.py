"""Every public page type in each of the 24 languages: no sideways scrolling at 390 px (long
German and Finnish words wrap), the right <html lang> and hreflang alternates, 0 axe violations
(every page type in every language); the language switcher works with a
keyboard alone."""

import pytest

from clustertalks.talks.models import TalkTranslation

from .conftest import MOBILE, PAGE_TYPES, describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser

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




@pytest.fixture
def every_language_site(site):
    talk = site.talks["upcoming"]
    TalkTranslation.objects.create(talk=talk, language="de", title=LONG_GERMAN,
                                   abstract="Arbeitsmarktintegrationsmaßnahmenfinanzierung. " * 3)
    TalkTranslation.objects.create(talk=talk, language="fi", title="Klusteriyhteistyöverkostojen "
                                   "kansainvälistymismahdollisuuksien kartoitus", abstract="Suomeksi.")
    TalkTranslation.objects.create(talk=talk, language="pl", title="Umiejętności dla klastrów",
                                   abstract="Po polsku.")
    return site


def test_every_page_type_in_every_language(new_page, every_language_site):
    """The 24 catalogues installed, so the 24 languages offered: each page type in each language
    answers with the right <html lang> and hreflang alternates, no sideways scrolling on a
    390 px phone (long German and Finnish words wrap), and 0 axe violations."""
    from django.conf import settings

    site = every_language_site
    offered = [code for code, _name in settings.LANGUAGES]
    assert len(offered) == 24, f"only {offered} have a compiled catalogue"
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True, timezone_id="America/New_York")
    problems = []
    for code in offered:
        for name in PAGE_TYPES:
            url = site.base + in_language(site.urls[name], code)
            response = page.goto(url)
            expected = 404 if name == "not_found" else 200
            if response is None or response.status != expected:
                problems.append(f"{url} answered {response and response.status}")
                continue
            page.wait_for_load_state("load")
            if page.get_attribute("html", "lang") != code:
                problems.append(f"{url}: html lang {page.get_attribute('html', 'lang')}")
            if expected == 200:
                alternates = dict(page.eval_on_selector_all(
                    'link[rel="alternate"][hreflang]', "links => links.map(l => [l.hreflang, l.href])"))
                path = site.urls[name].split("?")[0]
                if set(alternates) != {*offered, "x-default"} or not alternates["x-default"].endswith(path) \
                        or not alternates["de"].endswith("/de" + path):
                    problems.append(f"{url}: hreflang alternates {sorted(alternates)}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                problems.append(f"{url} scrolls sideways by {overflow}px on a phone")
            violations = run_axe(page)  # about a second a page: 24 × 18 pages, a few minutes
            if violations:
                problems.append(f"{url}\n" + describe_violations(violations))
            if name == "talk_upcoming":
                save_screenshot(page, f"{name}-{code}-mobile")
    assert not problems, "\n".join(problems)


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
