"""The numbers of a series (or of all series) over a period, in a fixed number of queries.

Definitions (docs/statistics.md): a talk is *held* when it is published (not draft, postponed
or cancelled) and has ended; *speakers* are the distinct people with a speaking role (keynote,
speaker, panellist, moderator; hosts are not counted) in held talks; organisations and
countries are those the speakers spoke for at the time; recordings and takeaways count only
when the talk's materials are published. Registrations and attendance are totals only.
"""

from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django_countries import countries

from clustertalks.materials.models import Recording, Takeaway
from clustertalks.materials.selectors import public_materials
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.registrations.models import Registration
from clustertalks.talks.models import Talk

from .period import Period

SPEAKING_ROLES = [Participation.Role.KEYNOTE, Participation.Role.SPEAKER,
                  Participation.Role.PANELLIST, Participation.Role.MODERATOR]


@dataclass
class Statistics:
    period: Period
    talks: int = 0
    hours: float = 0.0
    speakers: int = 0
    organisations: int = 0
    countries: int = 0
    by_kind: list = field(default_factory=list)        # [(kind label, speakers)]
    by_gender: dict = field(default_factory=dict)      # {"woman": n, "man": n, "other": n, "": n}
    registrations: int = 0
    attended: int = 0
    recording_hours: float = 0.0
    takeaways: list = field(default_factory=list)      # [(kind label, count)]
    talks_per_year: list = field(default_factory=list)  # [(year, count)]
    topics_over_time: dict = field(default_factory=dict)  # {"years": [...], "series": [(topic, [n...])]}
    country_list: list = field(default_factory=list)   # [(country name, speakers)]


def held_talks(series=None, period: Period | None = None, now=None):
    talks = Talk.objects.filter(status=Talk.Status.PUBLISHED, end__lt=now or timezone.now())
    if series is not None:
        talks = talks.filter(series=series)
    low, high = (period or Period()).bounds()
    if low:
        talks = talks.filter(start__gte=low)
    if high:
        talks = talks.filter(start__lt=high)
    return talks


def compute(series=None, period: Period | None = None, now=None, top_topics: int = 6) -> Statistics:
    period = period or Period()
    talks = held_talks(series, period, now)
    talk_ids = talks.values("pk")
    stats = Statistics(period=period)

    duration = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    totals = talks.aggregate(n=Count("pk"), length=Sum(duration))
    stats.talks = totals["n"]
    stats.hours = round(totals["length"].total_seconds() / 3600, 1) if totals["length"] else 0.0

    speaking = Participation.objects.filter(talk__in=talk_ids, role__in=SPEAKING_ROLES)
    people = speaking.aggregate(
        speakers=Count("person", distinct=True),
        organisations=Count("organisation", distinct=True),
        countries=Count("organisation__country", distinct=True,
                        filter=Q(organisation__isnull=False) & ~Q(organisation__country="")),
    )
    stats.speakers, stats.organisations, stats.countries = (
        people["speakers"], people["organisations"], people["countries"])

    kinds = dict(Organisation.Kind.choices)
    stats.by_kind = sorted(
        ((str(kinds.get(row["organisation__kind"], "?")), row["n"])
         for row in speaking.filter(organisation__isnull=False)
         .values("organisation__kind").annotate(n=Count("person", distinct=True))),
        key=lambda pair: (-pair[1], pair[0]))

    stats.by_gender = {row["person__gender"]: row["n"] for row in
                       speaking.values("person__gender").annotate(n=Count("person", distinct=True))}

    seats = Registration.objects.filter(talk__in=talk_ids).exclude(
        status=Registration.Status.CANCELLED).aggregate(
        n=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
    stats.registrations, stats.attended = seats["n"], seats["attended"]

    seconds = Recording.objects.filter(public_materials(), talk__in=talk_ids).aggregate(
        s=Sum("duration_seconds"))["s"] or 0
    stats.recording_hours = round(seconds / 3600, 1)

    takeaway_kinds = dict(Takeaway.Kind.choices)
    counted = {row["kind"]: row["n"] for row in Takeaway.objects.filter(
        public_materials(), talk__in=talk_ids).values("kind").annotate(n=Count("pk"))}
    stats.takeaways = [(str(label), counted.get(kind, 0)) for kind, label in takeaway_kinds.items()]

    stats.talks_per_year = [(row["year"], row["n"]) for row in talks.annotate(
        year=ExtractYear("start")).values("year").annotate(n=Count("pk")).order_by("year")]

    stats.topics_over_time = _topics_over_time(talk_ids, [y for y, _n in stats.talks_per_year],
                                               top_topics)

    names = dict(countries)
    stats.country_list = sorted(
        ((str(names.get(row["organisation__country"], row["organisation__country"])), row["n"])
         for row in speaking.filter(organisation__isnull=False).exclude(organisation__country="")
         .values("organisation__country").annotate(n=Count("person", distinct=True))),
        key=lambda pair: (-pair[1], pair[0]))
    return stats


def _topics_over_time(talk_ids, years: list[int], top: int) -> dict:
    """Talks per topic per year, for the `top` topics with the most talks in the period."""
    links = Talk.topics.through.objects.filter(talk__in=talk_ids)
    counts: dict[str, dict[int, int]] = {}
    for row in (links.annotate(year=ExtractYear("talk__start"))
                .values("year", "topic__name").annotate(n=Count("talk", distinct=True))):
        counts.setdefault(row["topic__name"], {})[row["year"]] = row["n"]
    ranked = sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:top]
    return {"years": years,
            "series": [(name, [per_year.get(y, 0) for y in years]) for name, per_year in ranked]}


GENDER_LABELS = dict(Person.Gender.choices)


def gender_rows(stats: Statistics) -> list[tuple[str, int]]:
    from django.utils.translation import gettext as _

    rows = [(str(GENDER_LABELS[g]), stats.by_gender.get(g, 0)) for g in Person.Gender.values]
    rows.append((_("Not recorded"), stats.by_gender.get("", 0)))
    return rows
