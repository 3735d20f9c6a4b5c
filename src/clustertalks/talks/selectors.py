"""Read-side queries for public pages: each returns data in a fixed number of queries."""

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from clustertalks.people.models import Participation

from .models import Talk, Topic


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


def talk_page_queryset() -> QuerySet:
    from .translations import series_prefetches, talk_prefetches

    return Talk.objects.select_related(
        "series", "series__organiser", "series__on_behalf_of", "series__on_behalf_of__parent", "event_type"
    ).prefetch_related(
        "topics",
        "audiences",
        "agenda_items",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related(
                "person", "organisation", "organisation__parent"
            ).prefetch_related("person__honours").order_by("order", "pk"),
        ),
        *talk_prefetches(),
        *series_prefetches("series__translations"),
    )


def agenda_with_speakers(talk: Talk) -> tuple[list[tuple], list[Participation]]:
    """The agenda items, each with its participants, and the participants of no item."""
    by_item = defaultdict(list)
    for part in talk.participations.all():
        part.honours_then = [
            h for h in part.person.honours.all() if h.year is None or h.year <= talk.start.year
        ]
        by_item[part.agenda_item_id].append(part)
    agenda = [(item, by_item.pop(item.pk, [])) for item in talk.agenda_items.all()]
    return agenda, by_item.pop(None, []) + [p for parts in by_item.values() for p in parts]
