"""Calendar subscriptions: all talks, per series, per topic; and the per-talk .ics."""

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils.http import http_date

from clustertalks.core.pagecache import bump_public_generation
from clustertalks.core.timezones import wall_clock_to_utc
from clustertalks.feeds.calendar import talk_uid
from clustertalks.people.models import Participation
from clustertalks.talks.models import Series, Talk, Topic

from ..conftest import utc
from .helpers import parse_both, parse_icalendar

BRUSSELS = "Europe/Brussels"


def at_0830(day: dt.date) -> dt.datetime:
    return wall_clock_to_utc(day, dt.time(8, 30), BRUSSELS)


@pytest.fixture
def skills():
    return Topic.objects.create(name="Skills")


def get_calendar(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def all_calendar_urls(talk, series, topic):
    return [
        reverse("feeds:talk_ics", args=[talk.slug]),
        reverse("feeds:all_ics"),
        reverse("feeds:series_ics", args=[series.slug]),
        reverse("feeds:topic_ics", args=[topic.slug]),
    ]


def test_every_calendar_output_parses_with_icalendar_and_icaljs(client, full_talk, make_talk, series):
    talk = full_talk(title="Skills & <b>clusters</b>; a \"quoted\", long title " + "x" * 120)
    make_talk(status=Talk.Status.CANCELLED)
    topic = talk.topics.get()
    for url in all_calendar_urls(talk, series, topic):
        calendar, parsed = parse_both(get_calendar(client, url).content)
        assert parsed["timezones"] == [BRUSSELS], url
        assert len(parsed["events"]) == len(calendar.walk("VEVENT")) >= 1, url
        assert parsed["name"], url


@pytest.mark.parametrize(
    "days",
    [
        # the last Wednesday of winter time and the first of summer time (29 March 2026)
        (dt.date(2026, 3, 25), dt.date(2026, 4, 1)),
        # the last Wednesday of summer time and the first of winter time (25 October 2026)
        (dt.date(2026, 10, 21), dt.date(2026, 10, 28)),
        # the same in 2027 (28 March, 31 October)
        (dt.date(2027, 3, 24), dt.date(2027, 3, 31)),
        (dt.date(2027, 10, 27), dt.date(2027, 11, 3)),
    ],
)
def test_talks_either_side_of_a_clock_change_stay_at_0830_brussels(client, make_talk, days):
    talks = [make_talk(f"Talk on {day}", start=at_0830(day)) for day in days]
    assert talks[0].start.hour != talks[1].start.hour  # one UTC hour apart: the clocks moved

    calendar, parsed = parse_both(get_calendar(client, reverse("feeds:all_ics")).content)

    by_uid = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    js_by_uid = {event["uid"]: event for event in parsed["events"]}
    for talk in talks:
        uid = talk_uid(talk)
        event = by_uid[uid]
        assert event["DTSTART"].params["TZID"] == BRUSSELS
        assert event.decoded("DTSTART").astimezone(dt.UTC) == talk.start
        assert event.decoded("DTSTART").strftime("%H:%M") == "08:30"
        js = js_by_uid[uid]
        assert js["zone"] == BRUSSELS
        assert js["start_local"].endswith("T08:30:00")
        assert js["end_local"].endswith("T09:30:00")
        assert js["start_utc"] == talk.start.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert js["end_utc"] == talk.end.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_series_in_another_zone_gets_its_own_vtimezone(client, make_talk):
    montreal = Series.objects.create(name="Americas Talks", time_zone="America/Toronto")
    start = wall_clock_to_utc(dt.date(2026, 11, 4), dt.time(10, 0), "America/Toronto")
    make_talk(series=montreal, start=start)
    make_talk(start=at_0830(dt.date(2026, 11, 4)))
    _calendar, parsed = parse_both(get_calendar(client, reverse("feeds:all_ics")).content)
    assert sorted(parsed["timezones"]) == ["America/Toronto", BRUSSELS]
    assert {event["start_local"][-8:] for event in parsed["events"]} == {"10:00:00", "08:30:00"}
    assert {event["start_utc"] for event in parsed["events"]} >= {start.strftime("%Y-%m-%dT%H:%M:%SZ")}


def test_feed_has_published_and_cancelled_talks_but_no_draft(client, make_talk, make_person):
    shown = make_talk("Shown")
    Participation.objects.create(talk=shown, person=make_person("Anna Kovács"), position="Head of Unit")
    cancelled = make_talk("Called off", status=Talk.Status.CANCELLED, status_note="Speaker ill; new date soon.")
    make_talk("Secret draft", status=Talk.Status.DRAFT)

    calendar, parsed = parse_both(get_calendar(client, reverse("feeds:all_ics")).content)

    assert str(calendar["X-WR-CALNAME"]) == "EU Clusters Talks"  # the series, not "All talks"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT6H"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT6H"
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Shown", "Called off"}
    assert str(events["Called off"]["STATUS"]) == "CANCELLED"
    assert {e["summary"]: e["status"] for e in parsed["events"]}["Called off"] == "CANCELLED"
    shown_event = events["Shown"]
    assert str(shown_event["STATUS"]) == "CONFIRMED"
    assert "Anna Kovács, Head of Unit" in str(shown_event["DESCRIPTION"])
    assert str(shown_event["URL"]).endswith(shown.get_absolute_url())
    assert shown_event.decoded("LAST-MODIFIED") == shown.updated_at.replace(microsecond=0)
    assert str(events["Called off"]["UID"]) == talk_uid(cancelled)
    assert str(events["Called off"]["DESCRIPTION"]).startswith("Speaker ill; new date soon.")


def test_series_and_topic_feeds_hold_only_their_talks(client, make_talk, series, skills):
    other = Series.objects.create(name="Other talks")
    about_skills = make_talk("About skills")
    about_skills.topics.add(skills)
    make_talk("Other series", series=other)

    def summaries(url):
        calendar = parse_icalendar(get_calendar(client, url).content)
        return str(calendar["X-WR-CALNAME"]), {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}

    assert summaries(reverse("feeds:series_ics", args=[other.slug])) == ("Other talks", {"Other series"})
    assert summaries(reverse("feeds:topic_ics", args=[skills.slug])) == ("clustertalks: Skills talks", {"About skills"})
    assert summaries(reverse("feeds:series_ics", args=[series.slug]))[1] == {"About skills"}


@pytest.mark.parametrize("url", ["/calendar/series/nope.ics", "/calendar/topics/nope.ics",
                                 "/calendar/series/%27%3B--.ics"])
def test_unknown_series_or_topic_is_404(client, url, db):
    assert client.get(url).status_code == 404


def test_post_is_refused(client, db):
    assert client.post(reverse("feeds:all_ics")).status_code == 405


def test_a_poll_with_etag_or_date_gets_304_until_a_talk_changes(client, make_talk):
    talk = make_talk()
    url = reverse("feeds:all_ics")
    first = get_calendar(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    talk.title = "A new title"
    talk.save()
    talk.refresh_from_db()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    later = http_date(talk.updated_at.timestamp() + 1)
    assert client.get(url, headers={"If-Modified-Since": later}).status_code == 304


def test_cancelling_or_removing_a_talk_changes_the_etag(client, make_talk):
    talk = make_talk()
    url = reverse("feeds:all_ics")
    etag = get_calendar(client, url)["ETag"]
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.CANCELLED, sequence=1)
    bump_public_generation()  # a raw update sends no signal: it must bump the page cache
    cancelled = client.get(url, headers={"If-None-Match": etag})
    assert cancelled.status_code == 200
    Talk.objects.filter(pk=talk.pk).delete()
    assert client.get(url, headers={"If-None-Match": cancelled["ETag"]}).status_code == 200


def test_feed_is_built_in_a_fixed_number_of_queries(client, full_talk, count_queries):
    url = reverse("feeds:all_ics")
    full_talk()
    one = count_queries(client.get, url)
    for _ in range(4):
        full_talk()
    assert count_queries(client.get, url) == one
    assert one <= 6


def test_a_built_feed_is_shared_from_the_cache_until_it_changes(client, full_talk, count_queries):
    url = reverse("feeds:series_ics", args=[full_talk().series.slug])
    first = client.get(url)
    assert count_queries(client.get, url) == 0  # from the page cache
    caches["pages"].clear()
    assert count_queries(client.get, url) == 2  # the series and the version, not the talks
    assert client.get(url).content == first.content
    full_talk(title="A new one")
    assert b"A new one" in client.get(url).content


def test_hostile_titles_stay_data_in_every_parser(client, make_talk, make_person):
    titles = [
        "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
        "<script>alert(1)</script>",
        "Robert'); DROP TABLE talks_talk;--",
        "Bell\x07 and vertical\x0b tab, NUL-free",
        "Ünïcödé — 🎤 Ελληνικά Кирилица עברית",
    ]
    for title in titles:
        talk = make_talk(title, abstract="Line one\nBEGIN:VALARM\n\\;,:")
        Participation.objects.create(talk=talk, person=make_person("Evil\nPerson; DROP"))
    calendar, parsed = parse_both(get_calendar(client, reverse("feeds:all_ics")).content)
    assert len(calendar.walk("VEVENT")) == len(parsed["events"]) == len(titles)
    assert not calendar.walk("VALARM")
    summaries = {e["summary"] for e in parsed["events"]}
    assert "Evil END:VEVENT BEGIN:VEVENT SUMMARY:injected" in summaries
    assert "Bell and vertical tab, NUL-free" in summaries
    assert "Ünïcödé — 🎤 Ελληνικά Кирилица עברית" in summaries


def test_talks_with_far_away_years_do_not_break_the_feed(client, make_talk):
    make_talk("Typo future", start=utc(2999, 5, 5, 6, 30))
    make_talk("Typo past", start=utc(1901, 5, 5, 6, 30))
    calendar, parsed = parse_both(get_calendar(client, reverse("feeds:all_ics")).content)
    assert len(calendar.walk("VEVENT")) == len(parsed["events"]) == 2


def test_single_talk_ics_parses_in_icaljs_with_the_right_times(client, full_talk):
    talk = full_talk(start=utc(2026, 3, 25, 7, 30))
    _calendar, parsed = parse_both(get_calendar(client, reverse("feeds:talk_ics", args=[talk.slug])).content)
    [event] = parsed["events"]
    assert event["start_local"] == "2026-03-25T08:30:00"
    assert event["start_utc"] == "2026-03-25T07:30:00Z"
    assert event["sequence"] == 0
    assert "Speakers:" in event["description"]


def test_the_all_talks_calendar_is_named_after_the_site_when_it_runs_several_series(
        client, make_talk, settings):
    make_talk("One")
    make_talk("Two", series=Series.objects.create(name="Green Talks", time_zone="Europe/Paris"))
    settings.SITE_NAME = "Cluster Talks Hub"
    calendar, _parsed = parse_both(get_calendar(client, reverse("feeds:all_ics")).content)
    assert str(calendar["X-WR-CALNAME"]) == "Cluster Talks Hub"
