"""The shared page cache: hits cost no query, a write shows at once, nothing private is shared."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clustertalks.core import pagecache
from clustertalks.people.models import Person
from clustertalks.registrations.models import RegistrationPolicy
from clustertalks.talks.models import Talk, Topic

from ..materials.conftest import add_materials, media_root  # noqa: F401 - fixtures

PAGE_HEADERS = ("Content-Type", "Content-Security-Policy", "Vary", "Content-Language", "ETag",
                "X-Frame-Options", "Referrer-Policy", "X-Content-Type-Options",
                "Cross-Origin-Opener-Policy", "Permissions-Policy", "Cache-Control")


def test_a_warm_hit_runs_no_query_and_carries_the_same_headers(client, full_talk, count_queries):
    talk = full_talk(title="Cached talk")
    url = talk.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200

    queries, hit = get_counting(client, url)

    assert queries == 0
    assert hit.status_code == 200
    assert hit.content == first.content
    for header in PAGE_HEADERS:
        assert hit.get(header) == first.get(header), header
    assert "Cookie" in hit["Vary"] and "public" in hit["Cache-Control"]


def test_if_none_match_gets_a_304_without_any_query(client, full_talk, count_queries):
    url = full_talk().get_absolute_url()
    etag = client.get(url)["ETag"]
    queries, response = get_counting(client, url, HTTP_IF_NONE_MATCH=etag)
    assert (queries, response.status_code) == (0, 304)


def test_a_published_edit_shows_on_the_next_anonymous_request(client, full_talk):
    talk = full_talk(title="Before the edit")
    url = talk.get_absolute_url()
    assert "Before the edit" in client.get(url).content.decode()
    assert "Before the edit" in client.get("/talks/").content.decode()

    talk.title = "After the edit"
    talk.save()

    assert "After the edit" in client.get(url).content.decode()
    assert "After the edit" in client.get("/talks/").content.decode()


@pytest.mark.parametrize("change", ["person", "topic", "m2m", "delete", "raw_update"])
def test_every_kind_of_public_write_drops_the_cached_pages(client, full_talk, change):
    talk = full_talk()
    url = talk.get_absolute_url()
    client.get(url)
    before = pagecache.current_generation()
    person = talk.people()[0]
    if change == "person":
        Person.objects.filter(pk=person.pk).get().save()
    elif change == "topic":
        Topic.objects.create(name="New topic")
    elif change == "m2m":
        talk.topics.clear()
    elif change == "delete":
        talk.agenda_items.first().delete()
    else:  # a QuerySet.update sends no signal: the explicit bump is the one to call
        Person.objects.filter(pk=person.pk).update(name="Renamed")
        pagecache.bump_public_generation()
    pagecache.bump_if_dirty()
    assert pagecache.current_generation() != before


def test_a_raw_update_then_a_bump_shows_the_new_name(client, full_talk):
    talk = full_talk()
    person = talk.people()[0]
    client.get(talk.get_absolute_url())
    Person.objects.filter(pk=person.pk).update(name="Quietly Renamed")
    pagecache.bump_public_generation()
    assert "Quietly Renamed" in client.get(talk.get_absolute_url()).content.decode()


def test_a_draft_never_enters_the_cache_and_an_organisers_page_is_never_shared(
    client, make_talk, organiser, count_queries
):
    draft = make_talk("Secret draft", status=Talk.Status.DRAFT)
    url = draft.get_absolute_url()
    client.force_login(organiser)
    seen = client.get(url)
    assert seen.status_code == 200 and "private" in seen["Cache-Control"]
    assert client.get("/").status_code == 200  # the organiser's home page: not stored either
    assert count_queries(client.get, "/") > 0

    client.logout()
    assert client.get(url).status_code == 404
    assert "Secret draft" not in client.get("/").content.decode()
    assert not any("Secret draft" in str(entry.content) for entry in stored_entries())


def test_the_registration_form_is_never_stored(client, make_talk, count_queries):
    talk = make_talk(start=timezone.now() + dt.timedelta(days=10))
    url = reverse("registrations:register", args=[talk.slug])
    first = client.get(url)
    assert first.status_code == 200 and "csrfmiddlewaretoken" in first.content.decode()
    assert count_queries(client.get, url) > 0


def test_the_talk_page_has_no_csrf_token_so_it_can_be_shared(client, make_talk):
    talk = make_talk(start=timezone.now() + dt.timedelta(days=10))
    response = client.get(talk.get_absolute_url())
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("url", ["/api/v1/talks", "/calendar/talks.ics", "/feeds/talks.rss",
                                 "/talks/?page=1", "/people/", "/topics/"])
def test_api_lists_and_feeds_share_the_cache(client, full_talk, count_queries, url):
    full_talk()
    assert client.get(url).status_code == 200
    assert count_queries(client.get, url) == 0
    full_talk()
    assert count_queries(client.get, url) > 0


def test_an_api_token_or_a_session_bypasses_the_cache(client, full_talk, count_queries):
    full_talk()
    client.get("/api/v1/talks")
    assert count_queries(client.get, "/api/v1/talks", HTTP_AUTHORIZATION="Bearer nope") > 0
    client.cookies["sessionid"] = "whatever"
    assert count_queries(client.get, "/talks/") > 0


def test_a_page_expires_when_registration_closes_or_the_talk_starts(client, make_talk):
    now = timezone.now()
    talk = make_talk(start=now + dt.timedelta(hours=3))
    RegistrationPolicy.objects.create(talk=talk, closes_at=now + dt.timedelta(minutes=5))
    response = client.get(talk.get_absolute_url())
    (entry,) = stored_entries()
    assert now.timestamp() + 4 * 60 < entry.expires <= now.timestamp() + 5 * 60 + 1
    assert "max-age=29" in response["Cache-Control"] or "max-age=300" in response["Cache-Control"]


def test_next_state_change_is_the_next_start_end_or_closing(make_talk):
    now = timezone.now()
    make_talk(start=now - dt.timedelta(minutes=30), minutes=60)  # running: ends in 30 min
    make_talk(start=now + dt.timedelta(days=20))
    generation = pagecache.current_generation()
    at = pagecache.next_state_change(generation)
    assert abs(at - (now + dt.timedelta(minutes=30)).timestamp()) < 2


def test_a_bump_in_another_process_is_seen_here(client, full_talk, count_queries, settings):
    """The embedded set-up (no Redis): the generation file is shared by every process."""
    url = full_talk().get_absolute_url()
    client.get(url)
    assert count_queries(client.get, url) == 0
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clustertalks.settings",
           "CLUSTERTALKS_VAR": str(Path(settings.PAGE_CACHE_GENERATION_FILE).parent)}
    code = "import django; django.setup(); from clustertalks.core import pagecache; pagecache.bump_now()"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert count_queries(client.get, url) > 0


def test_a_cache_outage_answers_every_request(client, full_talk, monkeypatch):
    url = full_talk(title="Still served").get_absolute_url()

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache.CacheGeneration, "read_with", broken)
    monkeypatch.setattr(pagecache.FileGeneration, "read_with", broken)
    assert "Still served" in client.get(url).content.decode()


def get_counting(client, url, **extra):
    """(queries run, response) of one GET."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return len(ctx.captured_queries), response


def stored_entries() -> list:
    cache = caches["pages"]
    return [value for value in (cache.get(key.split(":", 2)[-1]) for key in list(cache._cache))
            if isinstance(value, pagecache.Entry)]


# The most queries each page type may run on a cold cache (a talk with every material, three
# speakers, honours: 5, its registration policies joined; the archive's years take two small
# indexed queries), and none warm. Lower these when a page gets cheaper. The all-talks calendar
# and feed ask once which series publish talks, to be named after the series (or the site)
# rather than "All talks".
COLD_QUERIES = {
    "home": 8, "talk": 5, "recording": 4, "archive": 12, "archive page 2": 12, "person": 6,
    "organisation": 8, "topic": 6, "series": 9, "search": 8, "people": 2, "topics": 1,
    "talk .ics": 6, "calendar feed": 5, "rss": 4, "api list": 4,
}


def test_each_page_type_runs_a_fixed_number_of_queries_cold_and_none_warm(
    client, full_talk, add_materials, count_queries  # noqa: F811 - the imported fixture
):
    talk = add_materials(full_talk(), recordings=2, attachments=2, takeaways=4, cues=30)
    for _ in range(25):
        full_talk()
    part = talk.participations.select_related("person", "organisation").first()
    urls = {
        "home": "/", "talk": talk.get_absolute_url(),
        "recording": reverse("materials:recording", args=[talk.slug, talk.recordings.first().pk]),
        "archive": "/talks/", "archive page 2": "/talks/?page=2",
        "person": part.person.get_absolute_url(), "organisation": part.organisation.get_absolute_url(),
        "topic": Topic.objects.first().get_absolute_url(), "series": talk.series.get_absolute_url(),
        "search": "/search/?q=talk", "people": "/people/", "topics": "/topics/",
        "talk .ics": talk.get_absolute_url() + "calendar.ics", "calendar feed": "/calendar/talks.ics",
        "rss": "/feeds/talks.rss", "api list": "/api/v1/talks",
    }
    costs = {name: (count_queries(client.get, url), count_queries(client.get, url))
             for name, url in urls.items()}
    assert {name: cold for name, (cold, _warm) in costs.items() if cold > COLD_QUERIES[name]} == {}
    assert {name: warm for name, (_cold, warm) in costs.items() if warm} == {}


def test_statistics_pages_are_kept_a_minute_at_most(client, full_talk):
    """Their registration totals change with every sign-up, which does not bump the site."""
    full_talk()
    response = client.get(reverse("insights:statistics"))
    assert response.status_code == 200
    assert "max-age=60" in response["Cache-Control"]
    entry = next(e for e in stored_entries() if e.status == 200)
    assert entry.expires - dt.datetime.now().timestamp() <= 61


def test_a_sent_digest_and_the_players_extras_bump_the_generation(db, make_talk):
    from clustertalks.captions.models import Chapter
    from clustertalks.materials.models import Recording
    from clustertalks.newsletter.models import Digest

    recording = Recording.objects.create(talk=make_talk(), source="youtube",
                                         url="https://www.youtube.com/watch?v=abcdefghijk")

    def bumps(write) -> bool:
        pagecache.bump_if_dirty()
        before = pagecache.current_generation()
        write()
        pagecache.bump_if_dirty()  # what the next page request does first (no commit in a test)
        return pagecache.current_generation() > before

    assert bumps(lambda: Digest.objects.create(subject="Digest", period_start=dt.date(2026, 1, 1),
                                               period_end=dt.date(2026, 1, 31)))
    assert bumps(lambda: Chapter.objects.create(recording=recording, title="Welcome", start_ms=0))
