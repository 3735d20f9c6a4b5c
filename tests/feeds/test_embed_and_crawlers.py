"""The embeddable "upcoming talks" page, sitemap.xml and robots.txt."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clustertalks.people.models import Participation
from clustertalks.talks.models import Series, Talk

from .sitemap import section_addresses, sitemap_locations

EMBED = "/embed/upcoming"


def soon(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


def test_embed_page_lists_the_next_talks_and_may_be_framed(client, make_talk, make_person):
    talk = make_talk("Skills for the twin transition", start=soon(3))
    Participation.objects.create(talk=talk, person=make_person("Anna Kovács"))
    make_talk("Called off", start=soon(4), status=Talk.Status.CANCELLED)
    make_talk("Secret draft", start=soon(2), status=Talk.Status.DRAFT)
    make_talk("Long past", start=soon(-300))

    response = client.get(EMBED)

    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert f'href="{settings.SITE_URL}{talk.get_absolute_url()}" target="_top"' in html
    assert "Anna Kovács" in html
    assert "Cancelled:" in html
    assert "Secret draft" not in html and "Long past" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_every_other_page_still_refuses_frames(client, db):
    for url in [reverse("talks:home"), reverse("feeds:all_ics"), "/robots.txt"]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url


def test_embed_can_be_limited_to_one_series_and_a_number_of_talks(client, make_talk):
    other = Series.objects.create(name="Other series")
    for n in range(4):
        make_talk(f"Main {n}", start=soon(n + 1))
    make_talk("Other one", series=other, start=soon(1))
    html = client.get(EMBED, {"series": other.slug}).content.decode()
    assert "Other one" in html and "Main 0" not in html
    html = client.get(EMBED, {"limit": "2"}).content.decode()
    assert html.count('class="embed__talk"') == 2


@pytest.mark.parametrize(
    "query",
    [{"limit": "abc"}, {"limit": "-5"}, {"limit": "99999999999999999999"}, {"series": "x" * 5000},
     {"series": "' OR 1=1 --"}, {"series": "<script>alert(1)</script>"}],
)
def test_embed_survives_hostile_parameters(client, make_talk, query):
    make_talk(start=soon(1))
    response = client.get(EMBED, query)
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.content.decode()
    assert response.content.decode().count('class="embed__talk"') <= 20


def test_embed_queries_do_not_grow_with_the_talks(client, make_talk, make_person, count_queries):
    def talk_with_speaker(n):
        talk = make_talk(start=soon(n))
        Participation.objects.create(talk=talk, person=make_person())

    talk_with_speaker(1)
    one = count_queries(client.get, EMBED)
    for n in range(2, 6):
        talk_with_speaker(n)
    assert count_queries(client.get, EMBED) == one


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("https://www.clustercollaboration.eu 'self'", "frame-ancestors https://www.clustercollaboration.eu 'self';"),
        ("https://*.europa.eu", "frame-ancestors https://*.europa.eu;"),
        ("evil; script-src *", "frame-ancestors *;"),
        ("javascript:alert(1)", "frame-ancestors 'none';"),
    ],
)
def test_who_may_frame_the_embed_is_configurable_and_sanitised(client, settings, db, configured, expected):
    settings.EMBED_FRAME_ANCESTORS = configured
    policy = client.get(EMBED)["Content-Security-Policy"]
    assert expected in policy + ";"
    assert "script-src 'self'" in policy


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_private_places(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Disallow: /j/" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def test_sitemap_lists_public_pages_on_the_site_address_and_no_draft(client, full_talk, make_talk):
    talk = full_talk()
    draft = make_talk("Secret draft", status=Talk.Status.DRAFT)
    locations = sitemap_locations(client, HTTP_HOST="localhost")
    site = settings.SITE_URL
    assert site + talk.get_absolute_url() in locations
    assert site + talk.series.get_absolute_url() in locations
    assert site + talk.topics.get().get_absolute_url() in locations
    assert site + talk.participations.first().person.get_absolute_url() in locations
    assert site + "/" in locations
    assert site + draft.get_absolute_url() not in locations
    assert all(location.startswith(site + "/") for location in locations)


def test_sitemap_queries_do_not_grow_with_the_talks(client, full_talk, count_queries):
    full_talk()
    one = count_queries(client.get, "/sitemap.xml"), count_queries(client.get, "/sitemap-talks.xml")
    for _ in range(3):
        full_talk()
    assert (count_queries(client.get, "/sitemap.xml"), count_queries(client.get, "/sitemap-talks.xml")) == one


def test_the_sitemap_index_lists_one_sitemap_per_kind_of_page(client, db):
    sections = section_addresses(client)
    assert [address.removeprefix(settings.SITE_URL) for address in sections] == [
        f"/sitemap-{section}.xml" for section in ("pages", "series", "talks", "topics", "people", "organisations")]
    assert client.get("/sitemap-nothing.xml").status_code == 404
