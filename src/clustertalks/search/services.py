"""Keeping the index in step with the archive. Only public talks (not drafts), their materials,
and the people and organisations with a public talk are ever indexed.

Each function replaces the documents it is responsible for (delete, then insert), inside one
transaction, so running it twice or after a deletion is always right."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Prefetch, Q

from clustertalks.materials.models import (
    Attachment,
    Recording,
    Takeaway,
    TalkSummary,
    Transcript,
)
from clustertalks.people.models import Organisation, Participation
from clustertalks.people.services import (
    organisation_family_ids,
    people_with_public_talks,
)
from clustertalks.talks.models import Talk

from . import documents, semantic, vocabulary
from .models import SearchDocument

Kind = SearchDocument.Kind
TALK_PARTS = {
    "talk": (Kind.TALK,),
    "summary": (Kind.SUMMARY,),
    "takeaways": (Kind.TAKEAWAY,),
    "slides": (Kind.SLIDE,),
    "transcripts": (Kind.PASSAGE,),
}
ALL = "all"
MATERIALS = "materials"  # every part but the talk itself
PART_GROUPS = {ALL: list(TALK_PARTS), MATERIALS: [name for name in TALK_PARTS if name != "talk"]}
BATCH = 500


def materials_are_public(talk: Talk) -> bool:
    """As on the talk page: materials show once the organisers published them."""
    return TalkSummary.objects.filter(talk=talk, materials_published_at__isnull=False).exists()


def talk_queryset():
    return Talk.objects.select_related("series", "event_type").prefetch_related(
        "topics",
        "agenda_items",
        "translations",
        Prefetch(
            "participations",
            queryset=Participation.objects.select_related("person", "organisation").order_by("order", "pk"),
        ),
    )


def talk_part_documents(talk: Talk, part: str) -> list[SearchDocument]:
    if part == "talk":
        return documents.talk_documents(talk)
    if part == "summary":
        return documents.summary_documents(talk, TalkSummary.objects.filter(talk=talk).first())
    if part == "takeaways":
        return documents.takeaway_documents(talk, Takeaway.objects.filter(talk=talk).order_by("order", "pk"))
    if part == "slides":
        made = []
        for attachment in Attachment.objects.filter(talk=talk).prefetch_related("pages"):
            made += documents.slide_documents(talk, attachment, attachment.pages.all())
        return made
    made = []
    for transcript in Transcript.objects.filter(recording__talk=talk).order_by("recording__order", "pk"):
        made += documents.passage_documents(talk, transcript.cues.order_by("position").iterator(), transcript.recording_id)
    return made


@transaction.atomic
def index_talk(talk_id: int, part: str = ALL) -> int:
    """Rebuild one talk's documents (all of them, or one part); returns how many were made."""
    parts = PART_GROUPS.get(part, [part])
    kinds = [kind for name in parts for kind in TALK_PARTS[name]]
    SearchDocument.objects.filter(talk_id=talk_id, kind__in=kinds).delete()
    talk = talk_queryset().filter(pk=talk_id).first()
    if talk is None or not talk.is_public:
        return 0
    if parts != ["talk"] and not materials_are_public(talk):
        parts = [name for name in parts if name == "talk"]
    made = [doc for name in parts for doc in talk_part_documents(talk, name)]
    SearchDocument.objects.bulk_create(made, batch_size=BATCH)
    vocabulary.remember(made)
    if any(doc.kind in semantic.EMBEDDED_KINDS for doc in made) and semantic.enabled():
        from .tasks import embed_task

        transaction.on_commit(lambda: embed_task.enqueue(talk_id))
    return len(made)


@transaction.atomic
def index_talks_in_bulk(talk_ids, chunk: int = BATCH) -> int:
    """index_talk for many talks at once (seeding, imports of whole archives): each chunk of
    talks is loaded with a handful of queries and its documents written in one bulk insert, where
    index_talk costs about ten queries per talk. Talks with public materials get those parts
    from index_talk, one by one. Returns how many documents were made."""
    talk_ids, made = list(talk_ids), 0
    with_materials = set(
        TalkSummary.objects.filter(talk_id__in=talk_ids, materials_published_at__isnull=False)
        .values_list("talk_id", flat=True)
    ) if len(talk_ids) <= 50_000 else set()
    talk_kinds = TALK_PARTS["talk"]
    for start in range(0, len(talk_ids), chunk):
        ids = talk_ids[start:start + chunk]
        SearchDocument.objects.filter(talk_id__in=ids, kind__in=talk_kinds).delete()
        documents_made = [
            doc for talk in talk_queryset().filter(pk__in=ids) if talk.is_public
            for doc in talk_part_documents(talk, "talk")
        ]
        SearchDocument.objects.bulk_create(documents_made, batch_size=BATCH)
        vocabulary.remember(documents_made)
        made += len(documents_made)
    for talk_id in with_materials:
        made += index_talk(talk_id, MATERIALS)
    return made


@transaction.atomic
def index_person(person_id: int) -> int:
    SearchDocument.objects.filter(kind=Kind.PERSON, object_id=person_id).delete()
    person = (
        people_with_public_talks()
        .select_related("current_organisation", "current_organisation__parent")
        .prefetch_related("honours")
        .filter(pk=person_id)
        .first()
    )
    if person is None:
        return 0
    made = documents.person_documents(person)
    SearchDocument.objects.bulk_create(made)
    vocabulary.remember(made)
    return 1


def organisation_is_public(organisation: Organisation) -> bool:
    """As its page: public when a published talk involves it or one of its units."""
    family = organisation_family_ids(organisation)
    return (
        Talk.objects.published()
        .filter(
            Q(participations__organisation__in=family)
            | Q(series__organiser__in=family)
            | Q(series__on_behalf_of__in=family)
        )
        .exists()
    )


@transaction.atomic
def index_organisation(organisation_id: int) -> int:
    SearchDocument.objects.filter(kind=Kind.ORGANISATION, object_id=organisation_id).delete()
    organisation = Organisation.objects.select_related("parent").filter(pk=organisation_id).first()
    if organisation is None or not organisation_is_public(organisation):
        return 0
    made = documents.organisation_documents(organisation)
    SearchDocument.objects.bulk_create(made)
    vocabulary.remember(made)
    return 1


def index_person_and_talks(person_id: int) -> int:
    """A person renamed or removed: their own document, and the talks that name them."""
    made = index_person(person_id)
    for talk_id in Participation.objects.filter(person_id=person_id).values_list("talk_id", flat=True):
        made += index_talk(talk_id, "talk")
    return made


def talk_of(target: str, pk: int) -> int | None:
    """The talk a materials row belongs to, or None when it is gone."""
    lookups = {
        "recording": Recording.objects.filter(pk=pk).values_list("talk_id", flat=True),
        "transcript": Transcript.objects.filter(pk=pk).values_list("recording__talk_id", flat=True),
        "attachment": Attachment.objects.filter(pk=pk).values_list("talk_id", flat=True),
    }
    return lookups[target].first()


PART_OF_TARGET = {"recording": "transcripts", "transcript": "transcripts", "attachment": "slides"}


def index_target(target: str, pk: int, part: str = ALL) -> int:
    """The work of one indexing task (see tasks.py)."""
    if target == "talk":
        return index_talk(pk, part)
    if target == "person":
        return index_person(pk) if part == "self" else index_person_and_talks(pk)
    if target == "organisation":
        return index_organisation(pk)
    if target in PART_OF_TARGET:
        talk_id = talk_of(target, pk)
        return index_talk(talk_id, PART_OF_TARGET[target]) if talk_id else 0
    raise ValueError(f"Nothing to index for {target!r}")


def reindex(progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Rebuild the whole index; `progress(label, done, total)` is called along the way."""
    say = progress or (lambda label, done, total: None)
    SearchDocument.objects.all().delete()
    counts = {}
    talk_ids = list(Talk.objects.published().order_by("start").values_list("pk", flat=True))
    made = 0
    for done, talk_id in enumerate(talk_ids, start=1):
        made += index_talk(talk_id)
        if done % 10 == 0 or done == len(talk_ids):
            say("talks", done, len(talk_ids))
    counts["talks"] = len(talk_ids)
    people = list(people_with_public_talks().values_list("pk", flat=True))
    for done, person_id in enumerate(people, start=1):
        made += index_person(person_id)
        if done % 50 == 0 or done == len(people):
            say("people", done, len(people))
    counts["people"] = len(people)
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    for done, organisation_id in enumerate(organisations, start=1):
        made += index_organisation(organisation_id)
        if done % 50 == 0 or done == len(organisations):
            say("organisations", done, len(organisations))
    counts["organisations"] = len(organisations)
    counts["documents"] = made
    return counts

