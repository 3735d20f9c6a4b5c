"""The per-talk .ics download and the Google/Outlook links of the talk page."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from icalendar import Calendar

from clustertalks.feeds.calendar import google_calendar_link, outlook_calendar_link
from clustertalks.talks.models import Talk

from ..conftest import utc


def download(client, talk):
    response = client.get(reverse("feeds:talk_ics", args=[talk.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def only_event(calendar):
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_ics_has_the_talk_in_brussels_time_with_a_vtimezone(client, full_talk):
    talk = full_talk(title="Results and visions", start=utc(2022, 10, 5, 6, 30))
    calendar = download(client, talk)
    event = only_event(calendar)

    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert event.decoded("DTSTART") == utc(2022, 10, 5, 6, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event["DTSTART"].to_ical() == b"20221005T083000"
    assert event.decoded("DTEND") == utc(2022, 10, 5, 7, 30)
    assert str(event["SUMMARY"]) == "Results and visions"
    assert str(event["LOCATION"]) == "Online"
    assert talk.get_absolute_url() in str(event["URL"])
    assert "Speakers:" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_uid_is_stable_and_sequence_rises_when_the_time_moves(client, make_talk):
    talk = make_talk(start=utc(2026, 12, 2, 7, 30))
    first = only_event(download(client, talk))

    talk.title = talk.title  # an edit that does not touch the calendar
    talk.save()
    assert only_event(download(client, talk))["SEQUENCE"] == first["SEQUENCE"] == 0

    talk.start += dt.timedelta(days=7)
    talk.end += dt.timedelta(days=7)
    talk.save()
    moved = only_event(download(client, talk))
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1


def test_cancelled_talk_is_cancelled_in_the_calendar(client, make_talk):
    talk = make_talk(status=Talk.Status.CANCELLED)
    assert str(only_event(download(client, talk))["STATUS"]) == "CANCELLED"


def test_hostile_title_is_data_in_the_calendar_not_structure(client, make_talk):
    talk = make_talk(title="Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:<script>x</script>")
    calendar = download(client, talk)
    assert len(calendar.walk("VEVENT")) == 1


def test_google_and_outlook_links_carry_the_utc_times(make_talk):
    talk = make_talk("A & B", start=utc(2023, 12, 13, 7, 30), minutes=75)
    google = parse_qs(urlsplit(google_calendar_link(talk)).query)
    assert google["dates"] == ["20231213T073000Z/20231213T084500Z"]
    assert google["text"] == ["A & B"]
    assert google["ctz"] == ["Europe/Brussels"]
    outlook = parse_qs(urlsplit(outlook_calendar_link(talk)).query)
    assert outlook["startdt"] == ["2023-12-13T07:30:00+00:00"]
    assert outlook["subject"] == ["A & B"]
