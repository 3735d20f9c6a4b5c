"""Read side of the search page: what the visitor asked (read leniently: a value that names
nothing is ignored, never an error) and what the filters offer. Fixed number of queries."""

from dataclasses import dataclass, field

from django.http import QueryDict

from clustertalks.core.pagecache import per_generation
from clustertalks.people.services import people_with_public_talks
from clustertalks.talks.filters import archive_years, busiest_options, parse_year
from clustertalks.talks.models import EventType, Talk, Topic
from clustertalks.talks.selectors import public_topics

from .engine import Filters, Hit
from .models import SearchDocument
from .query import MAX_QUERY_CHARS

MAX_SLUG = 80


@dataclass
class SearchForm:
    query: str = ""
    kind: str = ""
    year: int | None = None
    topic: str = ""
    type: str = ""
    speaker: str = ""
    page: int = 1
    filters: Filters = field(default_factory=Filters)

    @property
    def has_filters(self) -> bool:
        return self.filters != Filters()


def slug_param(params: QueryDict, name: str) -> str:
    value = (params.get(name) or "").strip()
    return value if 0 < len(value) <= MAX_SLUG else ""


def page_param(params: QueryDict) -> int:
    raw = (params.get("page") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 6 and int(raw) > 0 else 1


def id_of(model, slug: str) -> int | None:
    return model.objects.filter(slug=slug).values_list("pk", flat=True).first() if slug else None


def read_search_params(params: QueryDict) -> SearchForm:
    form = SearchForm(
        query=" ".join((params.get("q") or "")[:MAX_QUERY_CHARS].split()),
        kind=params.get("kind", "") if params.get("kind") in SearchDocument.Kind.values else "",
        year=parse_year(params.get("year")),
        topic=slug_param(params, "topic"),
        type=slug_param(params, "type"),
        speaker=slug_param(params, "speaker"),
        page=page_param(params),
    )
    speaker_id = None
    if form.speaker:
        speaker_id = people_with_public_talks().filter(slug=form.speaker).values_list("pk", flat=True).first()
    form.filters = Filters(
        kind=form.kind or None,
        year=form.year,
        topic_id=id_of(Topic, form.topic),
        event_type_id=id_of(EventType, form.type),
        speaker_id=speaker_id,
    )
    return form


def attach_talks(hits: list[Hit]) -> None:
    """Each hit's talk (for its date and title), in one query for the page."""
    ids = {hit.talk_id for hit in hits if hit.talk_id}
    talks = Talk.objects.select_related("series").in_bulk(ids) if ids else {}
    for hit in hits:
        hit.talk = talks.get(hit.talk_id)


def filter_options(chosen_speaker: str = "") -> dict:
    # The options scan the whole archive (the busiest speakers: ~20 ms at 10,000 talks), so
    # they are built once per content generation, as the archive's are.
    options = {"kinds": SearchDocument.Kind.choices, "years": archive_years(),
               **per_generation("search-options", archive_wide_options)}
    if chosen_speaker and all(slug != chosen_speaker for slug, _name in options["speakers"]):
        chosen = people_with_public_talks().filter(slug=chosen_speaker).values_list("slug", "name")[:1]
        options["speakers"] = [*chosen, *options["speakers"]]
    return options


def archive_wide_options() -> dict:
    public = Talk.objects.published()
    return {
        "topics": list(public_topics().values_list("slug", "name")),
        "types": list(EventType.objects.filter(talks__in=public).distinct().values_list("slug", "name")),
        # At most the busiest FILTER_OPTIONS_MAX, as in the archive; "speakers_listed" says so.
        **dict(zip(("speakers", "speakers_listed"), busiest_options(
            people_with_public_talks().order_by("sort_key", "name"), "person"))),
    }
