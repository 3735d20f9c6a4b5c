"""Dates, times and numbers written the way the reader's language writes them.

Babel (CLDR data) rather than Django's formats: CLDR has every one of the 24 EU languages
(Django has no Maltese formats), the grammatical forms month names take in a date ("9 grudnia
2026", "9. prosince 2026", "9 ta' Diċembru 2026") and each language's own order ("2026.
december 9., szerda"). The zone's abbreviation (CET/CEST) is never Babel's: it comes from the
date, through the zone database (core/timezones.py), so it is right on either side of a clock change.

Every function takes the language to write in, or uses the active one (a page's language, or
the `translation.override` an email is rendered under).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from django.utils import translation

from clustertalks.core.languages import BABEL_LOCALES

# British English writes "Wednesday 9 December 2026" without CLDR's comma; the site always did.
PATTERN_OVERRIDES = {("en", "full"): "EEEE d MMMM y"}


def babel_locale(language: str | None = None) -> str:
    code = (language or translation.get_language() or "en").split("-")[0].lower()
    return BABEL_LOCALES.get(code, "en_GB")


def _pattern(style: str, language: str | None) -> str:
    code = babel_locale(language).split("_")[0]
    return PATTERN_OVERRIDES.get((code, style), style)


def _stored_to_local(value: dt.datetime) -> dt.datetime:
    """A moment as stored (UTC) is shown in the site's zone; one already in a zone (a talk's
    local_start, in its series' zone) is kept as it is."""
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0) and value.tzname() == "UTC":
        from django.utils import timezone

        return timezone.localtime(value)
    return value


def day(value: dt.date | dt.datetime, style: str = "full", language: str | None = None) -> str:
    """ "mercredi 9 décembre 2026" (full), "9. Dezember 2026" (long), "9 gru 2026" (medium).
    A datetime is written as it is: convert it to its zone first (talk.local_start)."""
    if isinstance(value, dt.datetime):
        value = _stored_to_local(value).date()
    return _formatted_date(value, _pattern(style, language), babel_locale(language))


def short_day(value: dt.date | dt.datetime, language: str | None = None) -> str:
    """ "Wed, 9 Dec 2026", "mer. 9 déc. 2026", "Mi., 9. Dez. 2026": a card's compact date, in the
    order and abbreviations of the visitor's language (CLDR's yMMMEd skeleton)."""
    if isinstance(value, dt.datetime):
        value = _stored_to_local(value).date()
    return _formatted_skeleton("yMMMEd", value, babel_locale(language))


def clock(value: dt.datetime | dt.time, language: str | None = None) -> str:
    """ "08:30", or "8.30" in Finnish."""
    if isinstance(value, dt.datetime):
        value = _stored_to_local(value).time()
    if value.tzinfo is not None:  # an aware time equals (and hashes as) others of its instant: not kept
        return format_time(value, "short", locale=babel_locale(language))
    return _formatted_time(value, "short", babel_locale(language))


# Babel's formatting is a pure function of the value, the pattern and the locale, and costs
# ~20-40 µs a call (a talk page writes its date and times in the head, the card, the facts):
# the answers are kept, a few thousand at most.
@lru_cache(maxsize=4096)
def _formatted_date(value: dt.date, pattern: str, locale: str) -> str:
    return format_date(value, pattern, locale=locale)


@lru_cache(maxsize=4096)
def _formatted_skeleton(skeleton: str, value: dt.date, locale: str) -> str:
    return format_skeleton(skeleton, value, locale=locale)


@lru_cache(maxsize=4096)
def _formatted_time(value: dt.time, pattern: str, locale: str) -> str:
    return format_time(value, pattern, locale=locale)


def when(start: dt.datetime, end: dt.datetime | None, zone_abbreviation: str,
         language: str | None = None) -> str:
    """ "mercredi 9 décembre 2026, 08:30–09:45 CET": wall-clock times already in their zone."""
    span = clock(start, language) + (f"–{clock(end, language)}" if end else "")
    return f"{day(start, 'full', language)}, {span} {zone_abbreviation}".strip()


def number(value, language: str | None = None) -> str:
    """ "1 234,5" in French, "1.234,5" in German, "1,234.5" in English."""
    return format_decimal(value, locale=babel_locale(language))
