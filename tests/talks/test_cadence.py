"""The next talk of a series is proposed from its cadence, at the same wall-clock time
whatever the clock changes between two talks."""

import datetime as dt

import pytest

from clustertalks.talks.models import Series, Talk
from clustertalks.talks.services import next_free_slot

from ..conftest import utc


@pytest.fixture
def wednesday_series(db):
    return Series.objects.create(
        name="Bi-weekly", time_zone="Europe/Brussels", cadence_weekday=2,
        cadence_start_time=dt.time(8, 30), cadence_interval_weeks=2, default_duration_minutes=60,
    )


def add_talk(series, start, status=Talk.Status.PUBLISHED):
    return Talk.objects.create(series=series, title="t", start=start, end=start + dt.timedelta(hours=1), status=status)


def test_next_slot_across_the_march_change_stays_at_0830(wednesday_series):
    add_talk(wednesday_series, utc(2026, 3, 18, 7, 30))  # 08:30 CET
    start, end = next_free_slot(wednesday_series, now=utc(2026, 3, 19, 12, 0))
    assert start == utc(2026, 4, 1, 6, 30)  # 08:30 CEST
    assert end - start == dt.timedelta(minutes=60)


def test_next_slot_across_the_october_change_stays_at_0830(wednesday_series):
    add_talk(wednesday_series, utc(2026, 10, 21, 6, 30))  # 08:30 CEST
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 10, 22, 12, 0))
    assert start == utc(2026, 11, 4, 7, 30)  # 08:30 CET


def test_a_series_without_talks_starts_on_the_next_cadence_weekday(wednesday_series):
    # Saturday 21 November 2026 → Wednesday 25 November 2026, 08:30 CET.
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 11, 21, 10, 0))
    assert start == utc(2026, 11, 25, 7, 30)


def test_today_is_skipped_once_the_start_time_has_passed(wednesday_series):
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 11, 25, 9, 0))
    assert start == utc(2026, 12, 9, 7, 30)


def test_a_long_pause_resumes_on_the_cadence_not_in_the_past(wednesday_series):
    add_talk(wednesday_series, utc(2023, 12, 13, 7, 30))
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 11, 21, 10, 0))
    assert start.weekday() == 2 and start >= utc(2026, 11, 21, 10, 0)
    assert (start.date() - dt.date(2023, 12, 13)).days % 14 == 0


def test_days_already_taken_are_skipped(wednesday_series):
    add_talk(wednesday_series, utc(2026, 3, 4, 7, 30))
    add_talk(wednesday_series, utc(2026, 3, 18, 7, 30))
    add_talk(wednesday_series, utc(2026, 4, 1, 6, 30), status=Talk.Status.DRAFT)
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 3, 1, 0, 0))
    assert start == utc(2026, 4, 15, 6, 30)


def test_a_cancelled_talk_frees_its_day(wednesday_series):
    add_talk(wednesday_series, utc(2026, 3, 18, 7, 30))
    add_talk(wednesday_series, utc(2026, 4, 1, 6, 30), status=Talk.Status.CANCELLED)
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 3, 19, 0, 0))
    assert start == utc(2026, 4, 1, 6, 30)


def test_a_special_on_another_weekday_realigns_to_the_cadence(wednesday_series):
    add_talk(wednesday_series, utc(2026, 3, 19, 7, 30))  # a Thursday special
    start, _ = next_free_slot(wednesday_series, now=utc(2026, 3, 20, 0, 0))
    assert start.astimezone(dt.timezone(dt.timedelta(hours=2))).weekday() == 2
    assert start == utc(2026, 4, 8, 6, 30)


def test_weekly_series_in_another_zone(db):
    series = Series.objects.create(
        name="Lisbon weekly", time_zone="Europe/Lisbon", cadence_weekday=0,
        cadence_start_time=dt.time(17, 0), cadence_interval_weeks=1, default_duration_minutes=90,
    )
    add_talk(series, utc(2026, 3, 23, 17, 0))  # Monday 17:00 WET
    start, end = next_free_slot(series, now=utc(2026, 3, 24, 0, 0))
    assert start == utc(2026, 3, 30, 16, 0)  # Monday 17:00 WEST
    assert end - start == dt.timedelta(minutes=90)


def test_after_years_of_silence_the_next_slot_is_still_in_the_future(wednesday_series):
    add_talk(wednesday_series, utc(2015, 1, 7, 7, 30))
    now = utc(2026, 11, 21, 10, 0)
    start, _ = next_free_slot(wednesday_series, now=now)
    assert now < start < now + dt.timedelta(weeks=2)
    assert (start.date() - dt.date(2015, 1, 7)).days % 14 == 0
