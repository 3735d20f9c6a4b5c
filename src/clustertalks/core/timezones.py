"""Time helpers: instants are stored in UTC and shown in a zone whose abbreviation
(CET or CEST, say) comes from the date itself, never from typed text."""

import datetime as dt
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.templatetags.tz import do_timezone


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(available_timezones()) if "/" in name]


def default_zone_name() -> str:
    return settings.TIME_ZONE


def in_zone(instant: dt.datetime, zone_name: str) -> dt.datetime:
    """The instant as a wall-clock time in `zone_name`, safe from the template's own
    conversion to the current time zone."""
    return do_timezone(instant, ZoneInfo(zone_name))


def zone_abbreviation(instant: dt.datetime, zone_name: str) -> str:
    return instant.astimezone(ZoneInfo(zone_name)).tzname() or zone_name


def wall_clock_to_utc(day: dt.date, time: dt.time, zone_name: str) -> dt.datetime:
    """The UTC instant at which the clocks of `zone_name` show `time` on `day`."""
    local = dt.datetime.combine(day, time, tzinfo=ZoneInfo(zone_name))
    return local.astimezone(dt.UTC)
