"""What search engines and social sites read from a talk page: JSON-LD, Open Graph, cards."""

import re

import extruct
import pytest
from django.conf import settings
from django.urls import reverse

from clustertalks.people.models import Organisation
from clustertalks.talks.models import Series, Talk, Topic

from ..conftest import utc

# Google's event guidelines: required name, startDate, location; recommended the rest.
GOOGLE_EVENT_PROPERTIES = {
    "name", "startDate", "endDate", "location", "description", "image", "eventStatus",
    "eventAttendanceMode", "organizer", "performer", "offers",
}


def page_html(client, talk) -> str:
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def event_of(client, talk) -> dict:
    html = page_html(client, talk)
    data = extruct.extract(html, base_url=settings.SITE_URL, syntaxes=["json-ld"], uniform=True)
    events = [item for item in data["json-ld"] if item.get("@type") == "Event"]
    assert len(events) == 1
    return events[0]


def meta(html: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    assert match, key
    return match.group(1)


def test_talk_page_json_ld_has_what_google_requires(client, full_talk):
    talk = full_talk(title="Skills for the twin transition", start=utc(2026, 12, 2, 7, 30),
                     abstract="How clusters **train** people.", livestream_url="https://example.org/live")
    talk.series.organiser = Organisation.objects.create(name="ECCP", website="https://clustercollaboration.eu/")
    talk.series.save()

    event = event_of(client, talk)

    assert GOOGLE_EVENT_PROPERTIES <= set(event)
    assert event["name"] == "Skills for the twin transition"
    assert event["startDate"] == "2026-12-02T08:30:00+01:00"
    assert event["endDate"] == "2026-12-02T09:30:00+01:00"
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"] == {"@type": "VirtualLocation", "url": "https://example.org/live"}
    assert event["organizer"] == {"@type": "Organization", "name": "ECCP",
                                  "url": "https://clustercollaboration.eu/"}
    assert len(event["performer"]) == 3
    assert all(p["@type"] == "Person" and p["name"] for p in event["performer"])
    assert event["description"] == "How clusters train people."
    assert event["image"][0].startswith(settings.SITE_URL + f"/talks/{talk.slug}/share.png?v=")
    assert event["isAccessibleForFree"] is True
    assert event["offers"]["price"] == 0 and event["offers"]["priceCurrency"] == "EUR"
    assert event["offers"]["availability"] == "https://schema.org/InStock"
    assert event["superEvent"]["@type"] == "EventSeries"
    assert event["superEvent"]["name"] == talk.series.name


def test_summer_time_talk_carries_the_summer_offset(client, make_talk):
    event = event_of(client, make_talk(start=utc(2026, 6, 3, 6, 30)))
    assert event["startDate"] == "2026-06-03T08:30:00+02:00"


@pytest.mark.parametrize(
    ("mode", "status", "location_type", "attendance", "event_status"),
    [
        ("in_person", "published", "Place", "OfflineEventAttendanceMode", "EventScheduled"),
        ("hybrid", "cancelled", list, "MixedEventAttendanceMode", "EventCancelled"),
        ("online", "postponed", "VirtualLocation", "OnlineEventAttendanceMode", "EventPostponed"),
    ],
)
def test_attendance_mode_location_and_status(client, make_talk, mode, status, location_type, attendance,
                                             event_status):
    talk = make_talk(attendance_mode=mode, status=status, venue="BOZAR", city="Brussels")
    event = event_of(client, talk)
    assert event["eventAttendanceMode"] == "https://schema.org/" + attendance
    assert event["eventStatus"] == "https://schema.org/" + event_status
    if location_type is list:
        assert [place["@type"] for place in event["location"]] == ["VirtualLocation", "Place"]
    else:
        assert event["location"]["@type"] == location_type
    if mode == "in_person":
        assert event["location"]["address"]["addressLocality"] == "Brussels"


def test_json_ld_never_shows_the_private_meeting_link(client, make_talk):
    talk = make_talk(meeting_url="https://zoom.example/j/secret-123")
    html = page_html(client, talk)
    assert "secret-123" not in html


def test_talk_without_series_or_organiser_still_has_an_organizer(client, make_talk):
    event = event_of(client, make_talk(series=None))
    assert event["organizer"]["name"]
    assert "superEvent" not in event


def test_hostile_title_cannot_break_out_of_the_json_ld_script(client, make_talk):
    title = '</script><script>alert(1)</script><!-- "quoted" & more'
    talk = make_talk(title, abstract="</script><img src=x onerror=alert(2)>")
    html = page_html(client, talk)
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert event_of(client, talk)["name"] == title


def test_open_graph_and_card_tags(client, make_talk):
    talk = make_talk("Clusters and the Single Market", start=utc(2026, 12, 2, 7, 30))
    html = page_html(client, talk)
    image = meta(html, "og:image")
    assert image.startswith(settings.SITE_URL + reverse("feeds:share_png", args=[talk.slug]))
    assert meta(html, "og:image:width") == "1200"
    assert meta(html, "og:image:height") == "630"
    alt = meta(html, "og:image:alt")
    assert "Clusters and the Single Market" in alt and "08:30" in alt and "CET" in alt
    assert meta(html, "twitter:card") == "summary_large_image"
    assert f'<link rel="canonical" href="{settings.SITE_URL}{talk.get_absolute_url()}">' in html


def test_image_address_changes_when_the_talk_changes(client, make_talk):
    talk = make_talk()
    before = meta(page_html(client, talk), "og:image")
    talk.title = "Another title"
    talk.save()
    assert meta(page_html(client, talk), "og:image") != before


def test_talk_page_queries_do_not_grow_with_its_speakers(client, full_talk, count_queries, make_person):
    talk = full_talk()
    few = count_queries(client.get, talk.get_absolute_url())
    for _ in range(3):
        talk.participations.create(person=make_person())
    assert count_queries(client.get, talk.get_absolute_url()) == few


@pytest.mark.parametrize("where", ["home", "series", "topic"])
def test_subscribe_links_offer_webcal_download_and_feeds(client, series, make_talk, where):
    topic = Topic.objects.create(name="Skills")
    make_talk().topics.add(topic)  # a topic is public once a public talk has it
    url, ics, rss = {
        "home": (reverse("talks:home"), reverse("feeds:all_ics"), reverse("feeds:all_talks_rss")),
        "series": (series.get_absolute_url(), reverse("feeds:series_ics", args=[series.slug]),
                   reverse("feeds:series_talks_rss", args=[series.slug])),
        "topic": (topic.get_absolute_url(), reverse("feeds:topic_ics", args=[topic.slug]),
                  reverse("feeds:topic_talks_rss", args=[topic.slug])),
    }[where]
    html = client.get(url).content.decode()
    host = settings.SITE_URL.split("://", 1)[1]
    assert f'href="webcal://{host}{ics}"' in html
    assert f'href="{ics}" download' in html
    assert f'href="{rss}"' in html
    assert client.get(ics).status_code == 200
    assert client.get(rss).status_code == 200


def test_series_names_in_subscribe_links_are_escaped(client, db):
    series = Series.objects.create(name="<img src=x onerror=alert(1)>")
    html = client.get(series.get_absolute_url()).content.decode()
    assert "<img src=x" not in html


def test_draft_talk_has_no_public_share_image(client, make_talk):
    talk = make_talk(status=Talk.Status.DRAFT)
    assert client.get(reverse("feeds:share_png", args=[talk.slug])).status_code == 404
