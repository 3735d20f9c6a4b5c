"""Time: stored in UTC, shown in the series' zone with an abbreviation taken from the date."""

import datetime as dt

import pytest

from clustertalks.core.timezones import in_zone, wall_clock_to_utc, zone_abbreviation

from ..conftest import utc


@pytest.mark.parametrize("instant, label", [
    (utc(2022, 10, 5, 6, 30), "CEST"),   # seed talk 1: summer time
    (utc(2023, 12, 13, 7, 30), "CET"),   # seed talk 2: winter time
    (utc(2024, 3, 31, 0, 59), "CET"),    # a minute before the March change (01:00 UTC)
    (utc(2024, 3, 31, 1, 0), "CEST"),
    (utc(2024, 10, 27, 0, 59), "CEST"),  # a minute before the October change (01:00 UTC)
    (utc(2024, 10, 27, 1, 0), "CET"),
])
def test_brussels_abbreviation_comes_from_the_date(instant, label):
    assert zone_abbreviation(instant, "Europe/Brussels") == label


def test_other_zones_get_their_own_abbreviations():
    assert zone_abbreviation(utc(2022, 10, 5, 6, 30), "Europe/Lisbon") == "WEST"
    assert zone_abbreviation(utc(2022, 10, 5, 6, 30), "Europe/Helsinki") == "EEST"
    assert zone_abbreviation(utc(2023, 12, 13, 7, 30), "Europe/Helsinki") == "EET"


def test_wall_clock_0830_in_brussels_is_a_different_utc_hour_in_summer_and_winter():
    assert wall_clock_to_utc(dt.date(2022, 10, 5), dt.time(8, 30), "Europe/Brussels") == utc(2022, 10, 5, 6, 30)
    assert wall_clock_to_utc(dt.date(2023, 12, 13), dt.time(8, 30), "Europe/Brussels") == utc(2023, 12, 13, 7, 30)


def test_in_zone_keeps_the_instant_and_shows_the_local_clock():
    local = in_zone(utc(2022, 10, 5, 6, 30), "Europe/Brussels")
    assert (local.hour, local.minute) == (8, 30)
    assert local == utc(2022, 10, 5, 6, 30)
    assert local.tzname() == "CEST"
