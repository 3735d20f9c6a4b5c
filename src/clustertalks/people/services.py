"""Rules of the people room: finding who is public, and merging duplicates."""

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from .models import Honour, Organisation, Participation, Person, PersonLink


def public_participations() -> QuerySet:
    from clustertalks.talks.models import Talk

    return Participation.objects.exclude(talk__status=Talk.Status.DRAFT)


def people_with_public_talks() -> QuerySet:
    """People who take part in at least one published talk; others stay unannounced."""
    return Person.objects.filter(
        Exists(public_participations().filter(person=OuterRef("pk")))
    )


def organisation_family_ids(organisation: Organisation, max_depth: int = 5) -> list[int]:
    """The organisation and the units below it (DG GROW below the European Commission)."""
    ids, frontier = [organisation.pk], [organisation.pk]
    for _ in range(max_depth):
        frontier = list(Organisation.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


@transaction.atomic
def merge_people(keep: Person, duplicates: list[Person]) -> int:
    """Fold `duplicates` into `keep`: their participations, honours and links move over, the
    empty fields of `keep` are filled from them, then they are deleted. Returns how many went."""
    others = [p for p in duplicates if p.pk != keep.pk]
    for other in others:
        Participation.objects.filter(person=other).update(person=keep)
        known_honours = set(keep.honours.values_list("title", "year"))
        for honour in Honour.objects.filter(person=other):
            if (honour.title, honour.year) not in known_honours:
                honour.person = keep
                honour.save(update_fields=["person"])
        known_urls = set(keep.links.values_list("url", flat=True))
        PersonLink.objects.filter(person=other).exclude(url__in=known_urls).update(person=keep)
        for field in ("bio", "photo", "photo_alt", "current_position", "sort_name"):
            if not getattr(keep, field) and getattr(other, field):
                setattr(keep, field, getattr(other, field))
        if keep.current_organisation_id is None:
            keep.current_organisation_id = other.current_organisation_id
        other.delete()
    keep.save()
    return len(others)
