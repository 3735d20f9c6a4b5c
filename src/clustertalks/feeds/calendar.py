"""iCalendar for talks (RFC 5545), and links that add a talk to Google or Outlook calendars."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from icalendar import Calendar, Event

from clustertalks.core.markdown import plain_excerpt

PRODID = "-//clustertalks//clustertalks//EN"


def one_line(text: str) -> str:
    """Single-line iCalendar properties must not carry line breaks (which icalendar rejects)."""
    return " ".join(str(text).split())


def talk_uid(talk) -> str:
    """Stable across edits, so a calendar updates the event rather than adding one."""
    return f"talk-{talk.pk}@{urlsplit(settings.SITE_URL).hostname}"


def talk_url(talk) -> str:
    return settings.SITE_URL + talk.get_absolute_url()


def talk_location(talk) -> str:
    if talk.is_online and not (talk.venue or talk.city):
        return "Online"
    return ", ".join(part for part in (talk.venue, talk.city) if part)


def talk_description(talk) -> str:
    speakers = "; ".join(
        ", ".join(
            part
            for part in (p.person.name, p.position, p.organisation.full_name if p.organisation else "")
            if part
        )
        for p in talk.participations.all()
    )
    lines = [plain_excerpt(talk.abstract, 600)]
    if speakers:
        lines.append(f"Speakers: {speakers}")
    lines.append(talk_url(talk))
    return "\n\n".join(line for line in lines if line)


def talk_event(talk) -> Event:
    event = Event()
    event.add("uid", talk_uid(talk))
    event.add("sequence", talk.sequence)
    event.add("dtstamp", talk.updated_at)
    event.add("last-modified", talk.updated_at)
    event.add("dtstart", talk.local_start)
    event.add("dtend", talk.local_end)
    event.add("summary", one_line(talk.title))
    event.add("description", talk_description(talk))
    event.add("location", one_line(talk_location(talk)))
    event.add("url", talk_url(talk))
    status = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}.get(talk.status, "CONFIRMED")
    event.add("status", status)
    return event


def calendar_for(talks, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    for talk in talks:
        calendar.add_component(talk_event(talk))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _utc_stamp(instant) -> str:
    return instant.strftime("%Y%m%dT%H%M%SZ")


def google_calendar_link(talk) -> str:
    query = {
        "action": "TEMPLATE",
        "text": talk.title,
        "dates": f"{_utc_stamp(talk.start)}/{_utc_stamp(talk.end)}",
        "details": talk_url(talk),
        "location": talk_location(talk),
        "ctz": talk.zone_name,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_link(talk) -> str:
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": talk.title,
        "startdt": talk.start.isoformat(),
        "enddt": talk.end.isoformat(),
        "body": talk_url(talk),
        "location": talk_location(talk),
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)
