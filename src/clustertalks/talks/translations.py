"""Talks and series in more than one language: which translation a page shows.

A page in language L shows a talk's translation into L when there is one, and the original
otherwise (marked with its own `lang`). The translation is fetched with the talks, one query
more per list, and only when some talk has a translation into L at all: the set of languages
with translations is kept per content generation (core.pagecache.per_generation), so a site
without translations pays nothing.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import translation

from clustertalks.core import pagecache

from .models import SeriesTranslation, TalkTranslation


def _languages(model) -> frozenset[str]:
    return frozenset(model.objects.values_list("language", flat=True).distinct())


def talk_languages() -> frozenset[str]:
    return pagecache.per_generation("talk-translation-languages", lambda: _languages(TalkTranslation))


def series_languages() -> frozenset[str]:
    return pagecache.per_generation("series-translation-languages", lambda: _languages(SeriesTranslation))


def prime() -> None:
    """Look up which languages have translations now rather than on a page's first visit."""
    talk_languages()
    series_languages()


def talk_prefetches(lookup: str = "translations") -> list[Prefetch]:
    """Prefetch the page language's translation into `page_translations` (Talk.shown_*)."""
    language = translation.get_language()
    if not language or language not in talk_languages():
        return []
    return [Prefetch(lookup, queryset=TalkTranslation.objects.filter(language=language),
                     to_attr="page_translations")]


def series_prefetches(lookup: str = "translations") -> list[Prefetch]:
    language = translation.get_language()
    if not language or language not in series_languages():
        return []
    return [Prefetch(lookup, queryset=SeriesTranslation.objects.filter(language=language),
                     to_attr="page_translations")]
