"""Dates, times and numbers in the reader's language, with CET/CEST from the date."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from clustertalks.core import localdates
from clustertalks.core.timezones import zone_abbreviation

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_a_talk_in_french_german_polish_and_english():
    start = dt.datetime(2026, 12, 9, 8, 30, tzinfo=BRUSSELS)
    end = dt.datetime(2026, 12, 9, 9, 45, tzinfo=BRUSSELS)
    abbr = zone_abbreviation(start, "Europe/Brussels")
    assert localdates.when(start, end, abbr, "fr") == "mercredi 9 décembre 2026, 08:30–09:45 CET"
    assert localdates.day(start, "long", "de") == "9. Dezember 2026"
    assert localdates.day(start, "long", "pl") == "9 grudnia 2026"
    assert localdates.when(start, end, abbr, "en") == "Wednesday 9 December 2026, 08:30–09:45 CET"


def test_summer_time_abbreviation_comes_from_the_date_in_every_language():
    summer = dt.datetime(2026, 10, 21, 8, 30, tzinfo=BRUSSELS)
    winter = dt.datetime(2026, 11, 4, 8, 30, tzinfo=BRUSSELS)
    assert localdates.when(summer, None, zone_abbreviation(summer, "Europe/Brussels"), "pl").endswith("08:30 CEST")
    assert localdates.when(winter, None, zone_abbreviation(winter, "Europe/Brussels"), "pl").endswith("08:30 CET")


def test_the_active_language_is_used_and_every_eu_language_has_formats():
    start = dt.datetime(2026, 12, 9, 8, 30, tzinfo=BRUSSELS)
    with translation.override("de"):
        assert localdates.day(start) == "Mittwoch, 9. Dezember 2026"
    from clustertalks.core.languages import CODES

    for code in CODES:  # Maltese and Irish included: CLDR has all 24
        assert "2026" in localdates.day(start, "full", code)


def test_numbers_follow_the_language():
    assert localdates.number(1234.5, "fr").replace("\u202f", " ") == "1 234,5"
    assert localdates.number(1234.5, "de") == "1.234,5"
    assert localdates.number(1234.5, "en") == "1,234.5"


def test_talk_page_date_in_the_page_language(client, languages, make_talk):
    talk = make_talk("Le cluster", start=dt.datetime(2026, 12, 9, 7, 30, tzinfo=dt.UTC), minutes=75)
    html = client.get(f"/fr/talks/{talk.slug}/").content.decode()
    assert "mercredi 9 décembre 2026, 08:30–09:45" in html
    assert '<abbr title="Europe/Brussels">CET</abbr>' in html
    html = client.get(f"/de/talks/{talk.slug}/").content.decode()
    assert "Mittwoch, 9. Dezember 2026, 08:30–09:45" in html
