"""Rules of the people room: finding who is public, and merging duplicates (people and
organisations), with what the merge page shows of each and who may merge what."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

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
    """The speakers' index in its order: people with a public talk, by surname. Paginate it as
    ids and read a page's rows with `index_rows`."""
    return people_with_public_talks().order_by("sort_key", "name", "pk")


def organisation_index() -> QuerySet:
    """Organisations whose people spoke in a public talk, by name; paginated like people_index."""
    return Organisation.objects.filter(
        Exists(public_participations().filter(organisation=OuterRef("pk")))
    ).order_by("name", "pk")


def index_rows(index: QuerySet, page_ids, *related: str) -> QuerySet:
    """One page of an index (people or organisations), each row with `talk_count`, its public
    talks. The page's ids come from a subquery of the index's order, and only those rows are
    counted: counting every row before paginating took ~100 ms at 10,000 talks on either
    database; a count in the select list of the paginated query was counted for every row
    skipped by the offset too."""
    field = {Person: "person", Organisation: "organisation"}[index.model]
    talks = (public_participations().filter(**{field: OuterRef("pk")}).order_by()
             .values(field).annotate(talks=Count("talk", distinct=True)).values("talks"))
    return (index.filter(pk__in=page_ids).annotate(talk_count=Coalesce(Subquery(talks), 0))
            .select_related(*related))


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
        absorb(keep, other, FIELDS_FILLED_FROM_DUPLICATE)
        if keep.current_organisation_id is None:
            keep.current_organisation_id = other.current_organisation_id
        other.delete()
    keep.save()  # re-indexes the keeper and the talks that now name them
    return len(others)


def absorb(keep, other, filled_fields) -> None:
    """Move everything that points at `other` to `keep` (relations found from the model's
    metadata, so a new foreign key cannot be forgotten), and fill `keep`'s empty fields from it.
    A value handed over is cleared on `other`, which is deleted next: a file then stays with
    the keeper instead of going with the duplicate (django-cleanup)."""
    model = type(keep)
    for relation in model._meta.related_objects:
        move_relation(relation, other, keep)
    for field in model._meta.many_to_many:
        getattr(keep, field.name).add(*getattr(other, field.name).all())
    for name in filled_fields:
        if not getattr(keep, name) and getattr(other, name):
            setattr(keep, name, getattr(other, name))
            setattr(other, name, "")


def move_relation(relation, other, keep) -> None:
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
        if row.pk == keep.pk and model is type(keep):
            setattr(keep, name, None)  # the keeper was a unit of the duplicate, not of itself
            continue
        setattr(row, name, keep)
        row.save(update_fields=[name])


ORGANISATION_FIELDS_FILLED_FROM_DUPLICATE = ("acronym", "country", "website", "description")


@transaction.atomic
def merge_organisations(keep: Organisation, duplicates: list[Organisation]) -> int:
    """Fold `duplicates` into `keep`: every row that points at a duplicate (people's current
    organisation, participations, units, series organisers, and any relation added later, read
    from the model's metadata) moves over, empty fields of `keep` are filled from them, then
    they are deleted. Returns how many went. Saves go one by one so search re-indexes and the
    page cache's generation is bumped (Organisation feeds public pages)."""
    others = [o for o in duplicates if o.pk != keep.pk]
    other_ids = {o.pk for o in others}
    if keep.parent_id in other_ids:
        keep.parent = None  # part of a duplicate that is going: the duplicate's parent is taken below
    for other in others:
        absorb(keep, other, ORGANISATION_FIELDS_FILLED_FROM_DUPLICATE)
        if keep.kind == Organisation.Kind.OTHER and other.kind != Organisation.Kind.OTHER:
            keep.kind = other.kind
        if keep.parent_id is None and other.parent_id not in other_ids | {keep.pk, None}:
            keep.parent_id = other.parent_id
        other.delete()
    keep.save()
    return len(others)


# ---------------------------------------------------------------- the merge page


def people_side_by_side(queryset) -> list[Person]:
    """The selected people with what tells them apart: talks (with date), positions and
    organisations over time, honours and links (fixed queries, however many are selected)."""
    parts = Participation.objects.select_related("talk__series", "organisation").order_by("-talk__start")
    return list(
        queryset.annotate(participation_count=Count("participations", distinct=True))
        .select_related("current_organisation")
        .prefetch_related(Prefetch("participations", queryset=parts), "honours", "links")
        .order_by("-participation_count", "pk")
    )


def talks_of(person: Person) -> list:
    """The person's talks, newest first, once each (from the prefetched participations)."""
    seen = {}
    for part in person.participations.all():
        seen.setdefault(part.talk_id, part.talk)
    return list(seen.values())


def positions_of(person: Person) -> list[str]:
    seen = [person.current_position] if person.current_position else []
    for part in person.participations.all():
        if part.position and part.position not in seen:
            seen.append(part.position)
    return seen


def organisations_of(person: Person) -> list[str]:
    seen = [str(person.current_organisation)] if person.current_organisation_id else []
    for part in person.participations.all():
        if part.organisation_id and str(part.organisation) not in seen:
            seen.append(str(part.organisation))
    return seen


def organisations_side_by_side(queryset) -> list[Organisation]:
    """The selected organisations with their people, talks and units (fixed queries)."""
    return list(
        queryset.annotate(people_count=Count("current_people", distinct=True),
                          participation_count=Count("participations", distinct=True))
        .select_related("parent")
        .prefetch_related(
            Prefetch("current_people", queryset=Person.objects.order_by("name")),
            Prefetch("participations", queryset=Participation.objects.select_related("talk", "person")
                     .order_by("-talk__start")),
            "units",
        )
        .order_by("-participation_count", "-people_count", "pk")
    )


def relations_out_of_reach(user, model, duplicates) -> list[str]:
    """Names of the series-bound rows a merge would change that `user` may not change (rows of
    another series' talks, for a series organiser). Empty: the merge is theirs to make."""
    from clustertalks.roles import services as roles

    if not roles.is_series_limited(user):
        return []
    blocked = []
    for relation in model._meta.related_objects:
        related, name = relation.related_model, relation.field.name
        if not roles.series_paths(related):
            continue
        rows = related._base_manager.filter(**{f"{name}__in": duplicates})
        if rows.exclude(pk__in=roles.scope(user, related._base_manager.all()).values("pk")).exists():
            blocked.append(str(related._meta.verbose_name_plural))
    return blocked
