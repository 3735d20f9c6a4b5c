"""RSS 2.0 and Atom feeds of new talks and new recordings."""

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse

from clustertalks.materials.models import Recording
from clustertalks.people.models import Participation
from clustertalks.talks.models import Series, Talk, Topic

HOSTILE = "<script>alert('x')</script> ]]> & \x07bell \x0b Robert'); DROP TABLE talks_talk;--"


@pytest.fixture
def topic():
    return Topic.objects.create(name="Green transition")


def feed_urls(series, topic):
    urls = []
    for content in ("talks", "recordings"):
        for fmt in ("rss", "atom"):
            name = f"{content}_{fmt}"
            urls += [
                reverse(f"feeds:all_{name}"),
                reverse(f"feeds:series_{name}", args=[series.slug]),
                reverse(f"feeds:topic_{name}", args=[topic.slug]),
            ]
    return urls


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return response, parsed


def test_every_feed_parses_without_bozo_even_with_hostile_content(client, make_talk, make_person, series, topic):
    talk = make_talk(HOSTILE, abstract=f"**Bold** {HOSTILE}")
    talk.topics.add(topic)
    Participation.objects.create(talk=talk, person=make_person(f"Evil {HOSTILE}"))
    Recording.objects.create(talk=talk, source=Recording.Source.YOUTUBE, url="https://youtu.be/x",
                             title=f"Part {HOSTILE}")
    urls = feed_urls(series, topic)
    assert len(urls) == 12
    for url in urls:
        response, parsed = fetch(client, url)
        assert len(parsed.entries) == 1, url
        assert "alert('x')" in parsed.entries[0].title  # text, shown as text
        expected = "application/atom+xml" if url.endswith(".atom") else "application/rss+xml"
        assert response["Content-Type"].startswith(expected)


def test_talks_feed_lists_published_and_cancelled_talks_never_drafts(client, make_talk, make_person):
    shown = make_talk("Skills for the twin transition", abstract="How clusters train people.")
    Participation.objects.create(talk=shown, person=make_person("Anna Kovács"))
    make_talk("Internationalisation", status=Talk.Status.CANCELLED)
    make_talk("Secret draft", status=Talk.Status.DRAFT)

    _response, parsed = fetch(client, reverse("feeds:all_talks_rss"))

    titles = [entry.title for entry in parsed.entries]
    assert sorted(titles) == ["Cancelled: Internationalisation", "Skills for the twin transition"]
    entry = next(e for e in parsed.entries if e.title == "Skills for the twin transition")
    assert entry.link == settings.SITE_URL + shown.get_absolute_url()
    assert "Anna Kovács" in entry.summary
    assert "CET" in entry.summary or "CEST" in entry.summary
    assert "How clusters train people." in entry.summary
    assert parsed.feed.title == "New talks: clustertalks"


def test_series_and_topic_feeds_hold_only_their_talks(client, make_talk, topic):
    other = Series.objects.create(name="Other talks")
    tagged = make_talk("Tagged")
    tagged.topics.add(topic)
    make_talk("Elsewhere", series=other)

    _r, by_topic = fetch(client, reverse("feeds:topic_talks_atom", args=[topic.slug]))
    _r, by_series = fetch(client, reverse("feeds:series_talks_rss", args=[other.slug]))

    assert [e.title for e in by_topic.entries] == ["Tagged"]
    assert [e.title for e in by_series.entries] == ["Elsewhere"]
    assert by_series.feed.title == "New talks: Other talks"


def test_recordings_feed_has_recordings_of_public_talks_only(client, make_talk):
    held = make_talk("Held talk")
    draft = make_talk("Draft talk", status=Talk.Status.DRAFT)
    Recording.objects.create(talk=held, source=Recording.Source.YOUTUBE, url="https://youtu.be/a")
    Recording.objects.create(talk=held, source=Recording.Source.VIMEO, url="https://vimeo.com/1", title="Part 2")
    Recording.objects.create(talk=draft, source=Recording.Source.YOUTUBE, url="https://youtu.be/b")

    _r, parsed = fetch(client, reverse("feeds:all_recordings_atom"))

    assert sorted(e.title for e in parsed.entries) == ["Recording: Held talk", "Recording: Held talk (Part 2)"]
    assert len({e.id for e in parsed.entries}) == 2


@pytest.mark.parametrize("url", ["/feeds/series/nope/talks.rss", "/feeds/topics/nope/recordings.atom"])
def test_unknown_scope_is_404(client, db, url):
    assert client.get(url).status_code == 404


def test_feed_is_built_in_a_fixed_number_of_queries(client, full_talk, count_queries):
    url = reverse("feeds:all_talks_rss")
    full_talk()
    one = count_queries(client.get, url)
    for _ in range(4):
        full_talk()
    assert count_queries(client.get, url) == one


def test_a_feed_reader_polling_again_gets_304(client, make_talk):
    make_talk()
    url = reverse("feeds:all_talks_atom")
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_every_page_announces_the_site_feeds(client, db):
    html = client.get(reverse("talks:home")).content.decode()
    for name, kind in (("all_talks_rss", "rss"), ("all_talks_atom", "atom"),
                       ("all_recordings_rss", "rss"), ("all_recordings_atom", "atom")):
        assert f'type="application/{kind}+xml"' in html
        assert f'href="{reverse("feeds:" + name)}"' in html
