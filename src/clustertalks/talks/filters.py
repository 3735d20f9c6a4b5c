"""The archive's filters, read leniently: a value that names nothing is ignored, never an error."""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustertalks.core.pagecache import per_generation
from clustertalks.people.models import Organisation, Participation, Person

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


# Each filter matches a talk at most once (a topic or audience is on a talk once; speakers and
# organisations go through an EXISTS, as one may appear twice on a talk), so the archive needs no
# DISTINCT: its count and page 50 read the (start, status) index instead of sorting every talk.
FILTERS = [
    ArchiveFilter("topic", _("Topic"), Topic, "topics"),
    ArchiveFilter("type", _("Type"), EventType, "event_type"),
    ArchiveFilter("audience", _("Audience"), Audience, "audiences"),
    ArchiveFilter("series", _("Series"), Series, "series"),
    ArchiveFilter("speaker", _("Speaker"), Person, "person"),
    ArchiveFilter("organisation", _("Organisation"), Organisation, "organisation"),
]
THROUGH_PARTICIPATIONS = {"person", "organisation"}


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
            if spec.lookup in THROUGH_PARTICIPATIONS:
                talks = talks.filter(Exists(
                    Participation.objects.filter(talk=OuterRef("pk"), **{spec.lookup: chosen})
                ))
            else:
                talks = talks.filter(**{spec.lookup: chosen})
    year = parse_year(params.get("year"))
    if year:
        active["year"] = year
        talks = talks.filter(start__year=year)
    return talks, active


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


@dataclass
class FilterField:
    """One filter as the archive's form shows it: what its select offers (only values that lead
    to a published talk), the value chosen now, and whether only the busiest values are offered
    (`listed`: how many; 0 when every value is)."""

    spec: ArchiveFilter
    choices: list[tuple[str, str]]
    chosen: object
    listed: int = 0


def filter_fields(active: dict) -> list[FilterField]:
    """The archive's filters. The options scan the whole archive, so they are built once per
    content generation and shared (page cache), not once per archive page."""
    offered, listed_only = per_generation("archive-options-v2", offered_options)
    fields = []
    for spec in FILTERS:
        choices, chosen = offered[spec.param], active.get(spec.param)
        if chosen is not None and all(slug != chosen.slug for slug, _name in choices):
            choices = [(chosen.slug, chosen.name), *choices]  # chosen from a person's page, say
        fields.append(FilterField(spec, choices, chosen, listed_only.get(spec.param, 0)))
    return fields


def offered_options() -> tuple[dict[str, list[tuple[str, str]]], dict[str, int]]:
    """(slug, name) of every value of every filter, and for the speakers and organisations,
    when there are more than settings.FILTER_OPTIONS_MAX of them, only the busiest (with how many
    are listed). One EXISTS per candidate, answered from an index (talk_type_start_idx and
    friends), so the cost follows the number of options, not of talks: no query reads the whole
    talks table."""
    public = Talk.objects.published()

    def having_talk(model, **link):
        return model.objects.filter(Exists(public.filter(**{key: OuterRef("pk") for key in link.values()})))

    def having_participation(model, field):
        return model.objects.filter(Exists(
            Participation.objects.filter(**{field: OuterRef("pk")}, talk__in=public)
        ))

    offered = {
        "topic": list(public_topics().values_list("slug", "name")),
        "type": list(having_talk(EventType, field="event_type").values_list("slug", "name")),
        "audience": list(having_talk(Audience, field="audiences").values_list("slug", "name")),
        "series": list(having_talk(Series, field="series").values_list("slug", "name")),
    }
    listed_only = {}
    for param, model, field in (("speaker", Person, "person"), ("organisation", Organisation, "organisation")):
        offered[param], listed_only[param] = busiest_options(having_participation(model, field), field)
    return offered, {param: listed for param, listed in listed_only.items() if listed}


def busiest_options(candidates: QuerySet, field: str, limit: int | None = None) -> tuple[list, int]:
    """(slug, name) of the candidates (people or organisations) in their usual order, and 0; or,
    when there are more than `limit`, of the `limit` with the most published talks, and `limit`.
    A select of thousands of names serves nobody (at 10,000 talks it made the archive 177 kB,
    mostly options); the speakers' and organisations' indexes list them all."""
    limit = limit or settings.FILTER_OPTIONS_MAX
    rows = list(candidates.values_list("slug", "name")[: limit + 1])
    if len(rows) <= limit:
        return rows, 0
    busiest = (Participation.objects.filter(talk__in=Talk.objects.published(), **{f"{field}__isnull": False})
               .values(field).annotate(talks=Count("talk", distinct=True))
               .order_by("-talks", field).values_list(field, flat=True)[:limit])
    return list(candidates.filter(pk__in=list(busiest)).values_list("slug", "name")), limit


def archive_years() -> list[int]:
    return per_generation("archive-years", years_with_talks)


def years_with_talks() -> list[int]:
    """The years (in the site's zone) with a published talk, newest first, from the start index:
    the first and last talk, then one EXISTS per year in between, all in two queries (reading the
    year of every talk instead cost ~90 ms at 10,000 talks)."""
    published = Talk.objects.published()
    span = published.aggregate(first=Min("start"), last=Max("start"))
    if span["first"] is None:
        return []
    zone = timezone.get_current_timezone()
    first, last = timezone.localtime(span["first"], zone).year, timezone.localtime(span["last"], zone).year

    def new_year(year):
        return dt.datetime(year, 1, 1, tzinfo=zone)

    checks = {
        f"y{year}": Exists(published.filter(start__gte=new_year(year), start__lt=new_year(year + 1)))
        for year in range(first, last + 1)
    }
    # one row (the first talk) carrying every check
    found = Talk.objects.filter(pk=published.order_by("start").values("pk")[:1]).values(**checks).first() or {}
    return [year for year in range(last, first - 1, -1) if found.get(f"y{year}")]
