"""Choosing a language: prefixes, the first visit's redirect, the switcher, hreflang, the
sitemap, and addresses that stay the same in every language."""

import re

import pytest

from clustertalks.core.languages import CODES, compiled_catalogue, offered_codes
from clustertalks.talks.models import Talk
from tests.feeds.sitemap import whole_sitemap


def test_the_24_official_languages_are_known_and_maltese_has_its_info():
    from django.utils.translation import get_language_info

    assert len(CODES) == 24 and "mt" in CODES and "ga" in CODES
    assert get_language_info("mt")["name_local"] == "Malti"


def test_a_language_is_offered_only_once_its_compiled_catalogue_exists(tmp_path):
    assert offered_codes([tmp_path]) == ["en"]
    path = compiled_catalogue(tmp_path, "fr")
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "de" / "LC_MESSAGES" / "django.po").write_text("")  # not compiled: not offered
    assert offered_codes([tmp_path]) == ["en", "fr"]


def test_without_other_languages_there_is_no_switcher_and_no_redirect(client, settings, db):
    settings.LANGUAGES = [("en", "English")]
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert "language-switcher" not in html and 'hreflang="x-default"' not in html
    assert client.get("/fr/talks/").status_code == 404


def test_first_visit_follows_the_browser_language(client, languages, db):
    response = client.get("/talks/?page=1", HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5")
    assert response.status_code == 302
    assert response["Location"] == "/fr/talks/?page=1"
    vary = response["Vary"].lower()
    assert "accept-language" in vary and "cookie" in vary


def test_a_language_not_offered_keeps_english(client, languages, db):
    response = client.get("/talks/", HTTP_ACCEPT_LANGUAGE="mt, ga;q=0.8")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "accept-language" in response["Vary"].lower()


def test_prefixed_page_is_in_its_language(client, languages, db):
    response = client.get("/de/talks/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"


def test_switcher_remembers_the_choice_in_a_functional_cookie(client, languages, settings, db):
    response = client.get("/fr/talks/?q=x&language=en")
    assert response.status_code == 302 and response["Location"] == "/talks/?q=x"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["httponly"] and cookie["samesite"] == "Lax"
    # The browser says French, the visitor chose English: English it stays.
    assert client.get("/talks/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    # Choosing Polish later: unprefixed pages now lead to Polish.
    client.get("/talks/?language=pl")
    assert client.get("/talks/")["Location"] == "/pl/talks/"


def test_switcher_refuses_a_language_not_offered(client, languages, db):
    response = client.get("/talks/?language=xx")
    assert response.status_code == 200 and not response.cookies


def test_switcher_and_alternates_on_a_talk_page(client, languages, make_talk):
    talk = make_talk("Cluster policy")
    html = client.get(f"/pl/talks/{talk.slug}/").content.decode()
    assert '<html lang="pl">' in html
    switcher = re.search(r'<details class="language-switcher">.*?</details>', html, re.S).group(0)
    assert f'<a href="/fr/talks/{talk.slug}/?language=fr" hreflang="fr" lang="fr">français</a>' in switcher
    assert f'href="/talks/{talk.slug}/?language=en" hreflang="en" lang="en"' in switcher
    assert 'lang="pl" aria-current="true">polski</a>' in switcher
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert ("x-default", f"http://testserver/talks/{talk.slug}/") in alternates or \
        any(code == "x-default" and href.endswith(f"/talks/{talk.slug}/") for code, href in alternates)
    assert {code for code, _href in alternates} == {"en", "fr", "de", "pl", "x-default"}
    assert any(code == "de" and href.endswith(f"/de/talks/{talk.slug}/") for code, href in alternates)


@pytest.mark.parametrize("path", ["/api/v1/talks", "/feeds/talks.rss", "/calendar/talks.ics", "/admin/login/"])
def test_addresses_without_language_versions_stay_unprefixed(client, languages, path, db):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, path
    assert client.get("/fr" + path).status_code == 404


def test_sitemap_lists_each_language(client, languages, make_talk):
    talk = make_talk("Sitemapped")
    xml = whole_sitemap(client)
    for prefix in ("", "/fr", "/de", "/pl"):
        assert f"{prefix}/talks/{talk.slug}/</loc>" in xml


def test_cached_page_is_never_served_in_the_wrong_language(client, languages, make_talk, settings):
    settings.PAGE_CACHE_ENABLED = True
    talk = make_talk("Cached everywhere")
    path = f"/talks/{talk.slug}/"
    english = client.get(path)
    french = client.get(f"/fr{path}")
    english_again = client.get(path)
    french_again = client.get(f"/fr{path}")
    assert '<html lang="en">' in english_again.content.decode()
    assert '<html lang="fr">' in french_again.content.decode()
    assert english_again.content == english.content and french_again.content == french.content
    # A French browser asking for the English address is redirected, never handed the English entry.
    fresh = client.__class__()
    assert fresh.get(path, HTTP_ACCEPT_LANGUAGE="fr").status_code == 302
    # And a German browser that chose English gets the English page (from the cache).
    fresh.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    hit = fresh.get(path, HTTP_ACCEPT_LANGUAGE="de")
    assert hit.status_code == 200 and '<html lang="en">' in hit.content.decode()


def test_personal_pages_stay_out_of_the_page_cache_in_every_language(rf, languages):
    from clustertalks.core.pagecache import request_may_hit

    assert not request_may_hit(rf.get("/pl/registration/abc/"))
    assert not request_may_hit(rf.get("/fr/j/token"))
    assert request_may_hit(rf.get("/pl/talks/"))


def test_spoken_language_on_the_page_in_the_feed_and_in_json_ld(client, languages, make_talk):
    import json

    talk = make_talk("Polityka klastrowa", language="pl")
    html = client.get(f"/fr/talks/{talk.slug}/").content.decode()
    assert '<dd lang="pl">polski</dd>' in html
    assert '<h1 lang="pl">Polityka klastrowa</h1>' in html  # the original, marked with its language
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert '"inLanguage": "pl"' in json.dumps(data)
    assert "Spoken language: polski" in client.get("/feeds/talks.rss").content.decode()


def test_a_translated_talk_shows_in_the_visitors_language(client, languages, make_talk):
    from clustertalks.talks.models import TalkTranslation

    talk = make_talk("Cluster policy", abstract="In English.")
    TalkTranslation.objects.create(talk=talk, language="fr", title="Politique des clusters",
                                   abstract="En français.")
    french = client.get(f"/fr/talks/{talk.slug}/").content.decode()
    assert "<h1>Politique des clusters</h1>" in french and "En français." in french
    assert "<p>In English.</p>" not in french  # (the JSON-LD keeps the original, in its inLanguage)
    german = client.get(f"/de/talks/{talk.slug}/").content.decode()
    assert '<h1 lang="en">Cluster policy</h1>' in german and '<div lang="en"><p>In English.</p>' in german
    cards = client.get("/fr/talks/").content.decode()
    assert ">Politique des clusters</a>" in cards
    assert "Cluster policy" in client.get(f"/talks/{talk.slug}/").content.decode()


def test_translated_summary_and_takeaways_show_in_the_page_language(client, languages, make_talk):
    from django.utils import timezone

    from clustertalks.materials.models import Takeaway, TalkSummary
    from clustertalks.talks.models import TalkTranslation

    talk = make_talk("Cluster policy")
    TalkSummary.objects.create(talk=talk, text="English summary.", materials_published_at=timezone.now())
    Takeaway.objects.create(talk=talk, order=0, kind="policy", text="First in English")
    Takeaway.objects.create(talk=talk, order=1, kind="solution", text="Second in English")
    TalkTranslation.objects.create(talk=talk, language="fr", title="Politique", summary="Résumé français.",
                                   takeaways="Premier en français")
    french = client.get(f"/fr/talks/{talk.slug}/").content.decode()
    assert "<div><p>Résumé français.</p>" in french and "English summary." not in french
    assert ">Premier en français" in french
    assert 'lang="en">Second in English' in french  # not translated: the original, marked
    polish = client.get(f"/pl/talks/{talk.slug}/").content.decode()
    assert '<div lang="en"><p>English summary.</p>' in polish


def test_newsletter_sign_up_defaults_to_the_page_language(client, languages, db):
    html = client.get("/pl/newsletter/").content.decode()
    assert '<option value="pl" selected>' in html


def _reverse_in_every_language(view_name, args, kwargs):
    """The switcher's and hreflang's addresses as they were first written: a reverse() per language."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                paths.append((code, reverse(view_name, args=args, kwargs=kwargs)))
            except NoReverseMatch:
                return []
    return [] if len({path for _code, path in paths}) < len(paths) else paths


def test_alternates_are_the_reverse_in_every_language_for_every_page(rf, settings, make_talk):
    """alternates() swaps the language prefix instead of 24 reverse() calls: for every page of
    the site (prefixed or not) in all 24 languages, the same addresses as a reverse() each; and
    none for the addresses that are the same in every language."""
    from django.urls import resolve
    from django.utils import translation

    from clustertalks.core.language_choice import alternates
    from clustertalks.core.languages import NATIVE_NAMES

    settings.LANGUAGES = [(code, NATIVE_NAMES[code]) for code in NATIVE_NAMES]
    assert len(settings.LANGUAGES) == 24
    talk = make_talk("Prefix swap")
    pages = ["/", "/talks/", f"/talks/{talk.slug}/", "/topics/", "/search/", "/newsletter/",
             "/registration/abc:def/", "/newsletter/archive/7/", "/newsletter/archive/007/"]
    same_everywhere = ["/feeds/talks.rss", "/calendar/talks.ics", "/api/v1/talks", "/admin/login/"]
    for path in pages + same_everywhere:
        for code in ("en", "fr", "mt", "pl"):
            if path in same_everywhere and code != "en":
                continue
            request = rf.get(path if code == "en" else f"/{code}{path}")
            with translation.override(code):  # as LocaleMiddleware does: the prefix matches the language
                request.resolver_match = match = resolve(request.path_info)
                expected = _reverse_in_every_language(match.view_name, match.args, match.kwargs)
                assert alternates(request) == expected, request.path
            if path in pages:
                paths = dict(expected)
                assert len(paths) == 24 and paths["mt"] == "/mt" + paths["en"] and not paths["en"].startswith("/fr/")
            else:
                assert expected == []


def test_switcher_on_an_address_without_language_versions_leads_to_each_home(client, languages, db):
    html = client.get("/no-such-page/").content.decode()
    switcher = re.search(r'<details class="language-switcher">.*?</details>', html, re.S).group(0)
    assert '<a href="/?language=en" hreflang="en" lang="en" aria-current="true">English</a>' in switcher
    assert '<a href="/pl/?language=pl" hreflang="pl" lang="pl">polski</a>' in switcher
    assert 'hreflang="x-default"' not in html


def test_switcher_keeps_the_query_escaped(client, languages, db):
    html = client.get("/fr/talks/?q=a%26b&page=2&language=xx").content.decode()
    assert '<a href="/de/talks/?q=a%26b&amp;page=2&amp;language=de" hreflang="de" lang="de">Deutsch</a>' in html
    assert '<span lang="fr">français</span>' in html and 'lang="fr" aria-current="true">français</a>' in html


def test_feed_links_in_the_head_are_in_each_pages_language(client, languages, db):
    """The site-wide feed links are rendered once per language and kept: each language its own."""
    for _round in range(2):
        english = client.get("/talks/").content.decode()
        french = client.get("/fr/talks/").content.decode()
        assert 'title="New talks (RSS)" href="/feeds/talks.rss"' in english
        assert 'title="Nouvelles conférences (RSS)" href="/feeds/talks.rss"' in french
