"""iCalendar for talks (RFC 5545), and links that add a talk to Google or Outlook calendars."""

import datetime as dt
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vDuration

from clustertalks.core.links import absolute_url

from .text import excerpt, one_line, xml_safe

PRODID = "-//clustertalks//clustertalks//EN"
# The years a VTIMEZONE may span: talks far outside them (a typo in the year) keep the rules
# of the nearest year instead of making the feed huge or failing.
ZONE_YEARS = (1970, 2100)


def talk_uid(talk) -> str:
    """Stable across edits, so a calendar updates the event rather than adding one."""
    return f"talk-{talk.pk}@{urlsplit(settings.SITE_URL).hostname}"


def talk_url(talk) -> str:
    return absolute_url(talk.get_absolute_url())


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
    lines = [excerpt(talk.abstract, 600, keep_lines=True)]
    if talk.is_called_off and talk.status_note:
        lines.insert(0, talk.status_note)
    if speakers:
        lines.append(_("Speakers: %(speakers)s") % {"speakers": speakers})
    lines.append(talk_url(talk))
    return xml_safe("\n\n".join(line for line in lines if line))


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


def calendar_for(talks, name: str, *, url: str = "", refresh_hours: int = 0) -> bytes:
    """One calendar with the talks, named `name`. A subscription feed also gives its own
    address (`url`) and how often clients should poll it (`refresh_hours`)."""
    talks = list(talks)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    if url:
        calendar.add("url", url)
        calendar.add("source", url, parameters={"VALUE": "URI"})
    if refresh_hours:
        calendar.add("refresh-interval", dt.timedelta(hours=refresh_hours), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(dt.timedelta(hours=refresh_hours)))
    for zone in vtimezones(talks):
        calendar.add_component(zone)
    for talk in talks:
        calendar.add_component(talk_event(talk))
    return calendar.to_ical()


def vtimezones(talks) -> list[Timezone]:
    """A VTIMEZONE for each zone the talks use, covering the years around them.

    Each transition is its own RDATE line: Mozilla's ical.js (Thunderbird) reads only the
    first date of a multi-valued RDATE and would put every later summer time an hour off."""
    spans: dict[str, list[dt.datetime]] = {}
    for talk in talks:
        spans.setdefault(talk.zone_name, []).extend([talk.start, talk.end])
    zones = []
    for zone_name, instants in sorted(spans.items()):
        first_year = min(max(min(instants).year - 1, ZONE_YEARS[0]), ZONE_YEARS[1] - 1)
        last_year = max(min(max(instants).year + 2, ZONE_YEARS[1]), first_year + 1)
        first, last = dt.date(first_year, 1, 1), dt.date(last_year, 1, 1)
        zones.append(_one_rdate_per_line(Timezone.from_tzid(zone_name, first_date=first, last_date=last)))
    return zones


def _one_rdate_per_line(zone: Timezone) -> Timezone:
    for part in zone.subcomponents:
        if "RDATE" not in part:
            continue
        stored = part.pop("RDATE")
        for date_list in stored if isinstance(stored, list) else [stored]:
            for date in date_list.dts:
                part.add("rdate", date.dt)
    return zone


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
