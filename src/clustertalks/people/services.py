"""Rules of the people room: finding who is public, and merging duplicates."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import Honour, Organisation, Participation, Person, PersonLink


def public_participations() -> QuerySet:
    from clustertalks.talks.models import Talk

    return Participation.objects.exclude(talk__status=Talk.Status.DRAFT)


def people_with_public_talks() -> QuerySet:
    """People who take part in at least one published talk; others stay unannounced."""
    return Person.objects.filter(
        Exists(public_participations().filter(person=OuterRef("pk")))
    )


def people_index() -> QuerySet:
    """The speakers' index: people with a public talk, each with `talk_count` (their public
    talks) and their current organisation, sorted by surname; one query per page."""
    return (
        people_with_public_talks()
        .annotate(talk_count=Count(
            "participations__talk", filter=Q(participations__in=public_participations()), distinct=True
        ))
        .select_related("current_organisation", "current_organisation__parent")
        .order_by("sort_key", "name", "pk")
    )


def organisation_index() -> QuerySet:
    """Organisations whose people spoke in a public talk, each with `talk_count`."""
    return (
        Organisation.objects.annotate(talk_count=Count(
            "participations__talk", filter=Q(participations__in=public_participations()), distinct=True
        ))
        .filter(talk_count__gt=0)
        .select_related("parent")
        .order_by("name", "pk")
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


# Rows of a person that the keeper may already hold: a second copy is dropped, not moved.
SAME_ROW_FIELDS = {Honour: ("title", "year"), PersonLink: ("url",)}
FIELDS_FILLED_FROM_DUPLICATE = ("bio", "photo", "photo_alt", "current_position", "sort_name")


@transaction.atomic
def merge_people(keep: Person, duplicates: list[Person]) -> int:
    """Fold `duplicates` into `keep`: every row that points at a duplicate (participations,
    honours, links, takeaways, slides, and any relation added later) moves over, the empty fields
    of `keep` are filled from them, then they are deleted. Returns how many went.

    The relations are found from the model's metadata, so a new foreign key to Person cannot be
    forgotten here. Rows are saved one by one (a merge is rare and small) so that the rooms that
    listen to saves, search indexing first, see every move."""
    others = [p for p in duplicates if p.pk != keep.pk]
    for other in others:
        for relation in Person._meta.related_objects:
            move_relation(relation, other, keep)
        for field in Person._meta.many_to_many:
            getattr(keep, field.name).add(*getattr(other, field.name).all())
        for name in FIELDS_FILLED_FROM_DUPLICATE:
            if not getattr(keep, name) and getattr(other, name):
                setattr(keep, name, getattr(other, name))
                setattr(other, name, "")  # the keeper owns the file now: deleting `other` keeps it
        if keep.current_organisation_id is None:
            keep.current_organisation_id = other.current_organisation_id
        other.delete()
    keep.save()  # re-indexes the keeper and the talks that now name them
    return len(others)


def move_relation(relation, other: Person, keep: Person) -> None:
    """Point the rows of one reverse relation at `keep` instead of `other`."""
    model, name = relation.related_model, relation.field.name
    if relation.many_to_many:
        for owner in model._base_manager.filter(**{name: other}):
            getattr(owner, name).remove(other)
            getattr(owner, name).add(keep)
        return
    rows = model._base_manager.filter(**{name: other})
    if relation.one_to_one:
        if model._base_manager.filter(**{name: keep}).exists():
            return  # the keeper has its own; the duplicate's goes with it
    same_row = SAME_ROW_FIELDS.get(model)
    known = set(model._base_manager.filter(**{name: keep}).values_list(*same_row)) if same_row else set()
    for row in rows:
        if same_row and tuple(getattr(row, f) for f in same_row) in known:
            continue  # deleted with the duplicate
        setattr(row, name, keep)
        row.save(update_fields=[name])
