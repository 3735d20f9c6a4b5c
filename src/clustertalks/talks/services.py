"""Business rules of the talks room, for views, the admin, the demo loader and other apps."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Max, Min, Q
from django.utils import timezone

from clustertalks.core.timezones import wall_clock_to_utc

from .models import Series, Talk


def next_cadence_day(series: Series, on_or_after: dt.date) -> dt.date:
    """The first day on the series' weekday that is on or after `on_or_after`."""
    return on_or_after + dt.timedelta(days=(series.cadence_weekday - on_or_after.weekday()) % 7)


def next_free_slot(series: Series, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Start and end (UTC) of the series' next talk: one interval after its latest talk, on the
    cadence weekday and wall-clock time in the series' zone (so 08:30 stays 08:30 across the
    clock changes), never in the past (so never on or before a day that already has a talk)."""
    zone = ZoneInfo(series.time_zone)
    now = now or timezone.now()
    today = now.astimezone(zone).date()
    latest_start = (
        series.talks.exclude(status=Talk.Status.CANCELLED).aggregate(Max("start"))["start__max"]
    )
    latest = latest_start.astimezone(zone).date() if latest_start else None
    interval = dt.timedelta(weeks=series.cadence_interval_weeks)

    day = next_cadence_day(series, latest + interval if latest else today)
    if day < today:  # after a pause, resume on the cadence from today
        day += interval * -(-(today - day).days // interval.days)
    if day == today and wall_clock_to_utc(day, series.cadence_start_time, series.time_zone) <= now:
        day += interval
    start = wall_clock_to_utc(day, series.cadence_start_time, series.time_zone)
    return start, start + dt.timedelta(minutes=series.default_duration_minutes)


def publish(talks) -> int:
    """Publish draft talks; returns how many changed."""
    count = 0
    for talk in talks:
        if talk.status == Talk.Status.DRAFT:
            talk.status = Talk.Status.PUBLISHED
            talk.save()
            count += 1
    return count


def unpublish(talks) -> int:
    """Take talks back to draft (off the public pages); returns how many changed."""
    count = 0
    for talk in talks:
        if talk.status != Talk.Status.DRAFT:
            talk.status = Talk.Status.DRAFT
            talk.save()
            count += 1
    return count


def next_state_change(now: dt.datetime) -> dt.datetime | None:
    """The next start or end of a published talk: when pages move it from "upcoming" to "live"
    to "held" (one query; the page cache expires its entries then)."""
    state = Talk.objects.published().filter(end__gt=now).aggregate(
        next_start=Min("start", filter=Q(start__gt=now)), next_end=Min("end")
    )
    return min(filter(None, state.values()), default=None)
