"""What the API may show: public data only, each list in a fixed number of queries."""

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from clustertalks.materials.models import Takeaway
from clustertalks.people import services as people_services
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.talks.models import Series, Talk
from clustertalks.talks.selectors import public_topics, speakers_prefetch


def public_talks() -> QuerySet:
    return Talk.objects.published()


def talk_list(
    *, when: str | None = None, topic: str | None = None, series: str | None = None,
    date_from: dt.date | None = None, date_to: dt.date | None = None, now=None,
) -> QuerySet:
    talks = public_talks().select_related("series", "event_type").prefetch_related(
        "topics", speakers_prefetch()
    )
    now = now or timezone.now()
    if when == "upcoming":
        talks = talks.upcoming(now)
    elif when == "past":
        talks = talks.past(now)
    else:
        talks = talks.order_by("-start", "pk")
    if topic:
        talks = talks.filter(topics__slug=topic)
    if series:
        talks = talks.filter(series__slug=series)
    if date_from:
        talks = talks.filter(start__date__gte=date_from)
    if date_to:
        talks = talks.filter(start__date__lte=date_to)
    return talks


def talk_detail_queryset(queryset: QuerySet | None = None) -> QuerySet:
    queryset = public_talks() if queryset is None else queryset
    return queryset.select_related("series", "event_type", "summary").prefetch_related(
        "topics", "audiences", "agenda_items", "recordings", "translations", speakers_prefetch(),
        Prefetch("takeaways", queryset=Takeaway.objects.select_related("topic", "person")),
    )


def series_list() -> QuerySet:
    return Series.objects.select_related("organiser", "on_behalf_of").prefetch_related(
        "translations").order_by("name", "pk")


def people() -> QuerySet:
    return (
        people_services.people_with_public_talks()
        .select_related("current_organisation")
        .prefetch_related("honours", "links")
        .order_by("sort_key", "name", "pk")
    )


def organisations() -> QuerySet:
    public_parts = people_services.public_participations()
    public_people = people_services.people_with_public_talks()
    return (
        Organisation.objects.filter(
            Exists(public_parts.filter(organisation=OuterRef("pk")))
            | Exists(public_people.filter(current_organisation=OuterRef("pk")))
            | Exists(Series.objects.filter(Q(organiser=OuterRef("pk")) | Q(on_behalf_of=OuterRef("pk"))))
        )
        .select_related("parent")
        .order_by("name", "pk")
    )


def topics() -> QuerySet:
    return public_topics().order_by("name", "pk")


def takeaways(*, talk: str | None = None, kind: str | None = None, topic: str | None = None) -> QuerySet:
    found = (
        Takeaway.objects.filter(talk__in=public_talks(), talk__summary__materials_published_at__isnull=False)
        .select_related("talk", "topic", "person")
        .order_by("-talk__start", "order", "pk")
    )
    if talk:
        found = found.filter(talk__slug=talk)
    if kind:
        found = found.filter(kind=kind)
    if topic:
        found = found.filter(topic__slug=topic)
    return found


def participations_of(talk: Talk) -> QuerySet:
    return Participation.objects.filter(talk=talk).select_related("person", "organisation")


def person_by_slug(slug: str) -> Person | None:
    return people().filter(slug=slug).first()
