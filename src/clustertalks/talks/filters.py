"""The archive's filters, read leniently: a value that names nothing is ignored, never an error."""

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from clustertalks.core.pagecache import per_generation
from clustertalks.people.models import Organisation, Person

from .models import Audience, EventType, Series, Talk, Topic
from .selectors import public_topics

MIN_YEAR, MAX_YEAR = 1990, 2100
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


@dataclass
class ArchiveFilter:
    """One filter: the query parameter, the model it names by slug, and how it narrows talks."""

    param: str
    label: str
    model: type
    lookup: str


FILTERS = [
    ArchiveFilter("topic", _("Topic"), Topic, "topics"),
    ArchiveFilter("type", _("Type"), EventType, "event_type"),
    ArchiveFilter("audience", _("Audience"), Audience, "audiences"),
    ArchiveFilter("series", _("Series"), Series, "series"),
    ArchiveFilter("speaker", _("Speaker"), Person, "participations__person"),
    ArchiveFilter("organisation", _("Organisation"), Organisation, "participations__organisation"),
]


def parse_year(raw: str | None) -> int | None:
    if raw and raw.strip().isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR:
        return int(raw)
    return None


def apply_filters(talks: QuerySet, params: QueryDict) -> tuple[QuerySet, dict]:
    """Narrow `talks` by the valid filters in `params`; returns them and the active choices."""
    active = {}
    for spec in FILTERS:
        slug = params.get(spec.param, "")
        if not SLUG.fullmatch(slug):
            continue
        chosen = spec.model.objects.filter(slug=slug).first()
        if chosen is not None:
            active[spec.param] = chosen
            talks = talks.filter(**{spec.lookup: chosen})
    year = parse_year(params.get("year"))
    if year:
        active["year"] = year
        talks = talks.filter(start__year=year)
    return talks.distinct(), active


# How each active filter reads in the archive's title ("Talks on Skills, in 2022"): titles must
# tell filtered views and pages apart (WCAG 2.4.2).
TITLE_PHRASES = {
    "topic": _("on %(name)s"),
    "type": _("of type %(name)s"),
    "audience": _("for %(name)s"),
    "series": _("in %(name)s"),
    "speaker": _("with %(name)s"),
    "organisation": _("with speakers from %(name)s"),
    "year": _("in %(name)s"),
}


def archive_title(active: dict, query: str = "") -> str:
    """The archive's title for these filters: "Talks", or "Talks on Skills, in 2022, matching
    “visions”". The page number is added by base.html."""
    phrases = [str(TITLE_PHRASES[param]) % {"name": getattr(chosen, "name", chosen)}
               for param, chosen in active.items() if param in TITLE_PHRASES]
    if query:
        phrases.append(str(_("matching “%(query)s”")) % {"query": query[:60]})
    if not phrases:
        return str(_("Talks"))
    return str(_("Talks %(filters)s")) % {"filters": ", ".join(phrases)}


def filter_fields(active: dict) -> list[tuple]:
    """Each filter with what its select offers (only values that lead to a published talk)
    and the value chosen now. The options scan the whole archive, so they are built once per
    content generation and shared (page cache), not once per archive page."""
    offered = per_generation("archive-options", offered_options)
    return [(spec, offered[spec.param], active.get(spec.param)) for spec in FILTERS]


def offered_options() -> dict[str, list[tuple[str, str]]]:
    public = Talk.objects.published()
    offered = {
        "topic": public_topics(),
        "type": EventType.objects.filter(talks__in=public),
        "audience": Audience.objects.filter(talks__in=public),
        "series": Series.objects.filter(talks__in=public),
        "speaker": Person.objects.filter(participations__talk__in=public),
        "organisation": Organisation.objects.filter(participations__talk__in=public),
    }
    return {param: list(options.distinct().values_list("slug", "name")) for param, options in offered.items()}


def archive_years() -> list[int]:
    return per_generation("archive-years", lambda: [
        day.year for day in Talk.objects.published().dates("start", "year", order="DESC")
    ])
