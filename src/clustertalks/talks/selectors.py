"""Read-side queries for public pages: each returns data in a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from clustertalks.core.folding import instances, json_rows
from clustertalks.core.pagecache import per_generation
from clustertalks.core.precompiled import Precompiled
from clustertalks.people.models import Honour, Participation

from .models import AgendaItem, Audience, Talk, Topic
from .translations import series_prefetches, talk_prefetches


def public_topics() -> QuerySet:
    """The one definition of a public topic: at least one public talk has it. A topic made by
    a draft (in the back office or through the API) stays unannounced until that talk is
    published. Used by the topic pages, the sitemap, the feeds, the API and search filters."""
    return Topic.objects.filter(Exists(Talk.objects.published().filter(topics=OuterRef("pk"))))


def topic_index() -> QuerySet:
    """Public topics, each with `talk_count`, the number of its public talks: one query."""
    return public_topics().annotate(
        talk_count=Count("talks", filter=Q(talks__in=Talk.objects.published()), distinct=True)
    ).order_by("name")
def topics_with_counts() -> QuerySet:
    """Public topics with the number of their public talks, the most talked-about first."""
    return topic_index().order_by("-talk_count", "name")


def busiest_topics(limit: int = 12) -> list[Topic]:
    """The home page's topics. Counting every topic's talks walks the whole archive (~30 ms at
    10,000 talks), so the answer is kept until the next public write, like the archive's filters."""
    return per_generation(f"busiest-topics:{limit}", lambda: list(topics_with_counts()[:limit]))


def topic_list() -> list[Topic]:
    """The topics index, kept until the next public write (see busiest_topics)."""
    return per_generation("topic-index", lambda: list(topic_index()))


def speakers_prefetch(lookup: str = "participations") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=Participation.objects.select_related(
            "person", "organisation", "organisation__parent"
        ).order_by("order", "pk"),
    )


def talk_cards(queryset: QuerySet | None = None) -> QuerySet:
    """Talks as shown in lists: with series, type, topics and speakers, 4 queries in all."""
    from .translations import talk_prefetches

    queryset = Talk.objects.published() if queryset is None else queryset
    return queryset.select_related("series", "event_type").prefetch_related(
        "topics", speakers_prefetch(), *talk_prefetches()
    )


_talk_page_template: QuerySet | None = None


def talk_page_queryset() -> QuerySet:
    """The talk page's query, built once per process: putting its annotations and prefetches
    together cost ~1 ms of CPU on every miss; a clone of the built one costs a few µs. The
    translations into the page's language depend on the request, so they are added each time
    (and only when some talk or series has one in that language: talks/translations.py)."""
    global _talk_page_template
    if _talk_page_template is None:
        _talk_page_template = build_talk_page_queryset()
    return _talk_page_template.all().prefetch_related(
        *talk_prefetches(), *series_prefetches("series__translations"))


def build_talk_page_queryset() -> QuerySet:
    """The talk page's data in two queries: the talk with its series, type, summary and both
    registration policies joined, and its topics, audiences and agenda folded in as JSON
    (core/folding.py); then its participants with their honours folded in the same way.
    Call `unfold_talk_page` on the talk it returns."""
    return talk_page_talks().prefetch_related(Prefetch("participations", queryset=talk_page_participants()))


def talk_page_talks() -> QuerySet:
    return Talk.objects.select_related(
        "series", "series__organiser", "series__on_behalf_of", "series__on_behalf_of__parent", "event_type",
        "summary", "registration_policy", "series__registration_policy",
    ).annotate(
        topics_rows=json_rows(
            Topic.objects.filter(talks=OuterRef("pk")).order_by("name"),
            **{name: name for name in TOPIC_FIELDS},
        ),
        audiences_rows=json_rows(
            Audience.objects.filter(talks=OuterRef("pk")).order_by("name"), id="id", slug="slug", name="name"
        ),
        agenda_rows=json_rows(
            AgendaItem.objects.filter(talk=OuterRef("pk")).order_by("order", "pk"),
            **{name: name for name in AGENDA_FIELDS},
        ),
    )


def talk_page_participants() -> QuerySet:
    return Participation.objects.select_related(
        "person", "organisation", "organisation__parent"
    ).annotate(
        honours_rows=json_rows(
            Honour.objects.filter(person=OuterRef("person_id")).order_by("-year", "title"),
            id="id", person_id="person_id", title="title", year="year",
        )
    ).order_by("order", "pk")


# The talk page's two queries, compiled to SQL once per process (core/precompiled.py): Django's
# compiler on the wide select and the JSON folds was the largest single cost of a miss.
TALK_PAGE_TALK = Precompiled(lambda slug: talk_page_talks().filter(slug=slug), slug="\x00talk-page-slug\x00")
TALK_PAGE_PARTICIPANTS = Precompiled(lambda talk_id: talk_page_participants().filter(talk_id=talk_id),
                                     talk_id=-7_000_000_000_001)


def talk_page(slug: str) -> Talk | None:
    """The talk page's talk, as `talk_page_queryset().get(slug=slug)` gives it (None when there
    is no such talk), in the same two queries (and the translations of the page's language)."""
    found = TALK_PAGE_TALK.fetch(*talk_prefetches(), *series_prefetches("series__translations"), slug=slug)
    if not found:
        return None
    talk, = found
    participants = TALK_PAGE_PARTICIPANTS.fetch(talk_id=talk.pk)
    for part in participants:  # as Django's prefetch does for a reverse foreign key
        Participation.talk.field.set_cached_value(part, talk)
    prefetched(talk, "participations", participants)
    return talk


def prefetched(obj, name: str, objects: list) -> None:
    """Make `obj.<name>.all()` answer `objects` with no query, as a prefetch does."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    queryset = getattr(obj, name).all()
    queryset._result_cache, queryset._prefetch_done = objects, True
    cache[name] = queryset


TOPIC_FIELDS = ("id", "slug", "name", "description")
AGENDA_FIELDS = ("id", "talk_id", "order", "title", "kind", "description", "starts_at", "ends_at")


def unfold_talk_page(talk: Talk) -> Talk:
    """Put the folded rows where templates and tags look for them (talk.topics.all() and so on
    answer from the prefetch cache, with no query)."""
    for name, model, rows in (
        ("topics", Topic, talk.topics_rows),
        ("audiences", Audience, talk.audiences_rows),
        ("agenda_items", AgendaItem, talk.agenda_rows),
    ):
        prefetched(talk, name, instances(model, rows))
    for part in talk.participations.all():
        part.person.honours_list = instances(Honour, part.honours_rows)
    return talk


def agenda_with_speakers(talk: Talk) -> tuple[list[tuple], list[Participation]]:
    """The agenda items, each with its participants, and the participants of no item."""
    by_item = defaultdict(list)
    for part in talk.participations.all():
        honours = getattr(part.person, "honours_list", None)
        if honours is None:
            honours = part.person.honours.all()
        part.honours_then = [h for h in honours if h.year is None or h.year <= talk.start.year]
        by_item[part.agenda_item_id].append(part)
    agenda = [(item, by_item.pop(item.pk, [])) for item in talk.agenda_items.all()]
    return agenda, by_item.pop(None, []) + [p for parts in by_item.values() for p in parts]
