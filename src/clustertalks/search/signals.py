"""What to re-index when a row of another room is saved or deleted.

Indexing is a reaction of this room to changes in others (talks, people, materials), which is
what signals are for: those rooms need not know that search exists. Each receiver only enqueues
a task naming what to re-index; the task reads the rows as they are when it runs.

Inside a transaction, the tasks are gathered and enqueued once each when it commits: loading
the demo or importing a transcript of 1,000 cues makes one task per talk, person or
organisation, not one per row, and a rolled-back change enqueues nothing. Outside a
transaction, a task is enqueued at once. (The setting SEARCH_INDEX_AFTER_COMMIT = False
enqueues at once always; the search tests use it, as their test transaction never commits.)
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save

from clustertalks.core import events

TALK_PART_OF_MODEL = {
    "TalkSummary": "materials",  # it holds whether the materials are published
    "Takeaway": "takeaways",
    "Attachment": "slides",
    "Recording": "transcripts",
}
PARENT_OF_MODEL = {"AttachmentPage": ("attachment", "attachment_id"),
                   "Transcript": ("recording", "recording_id"),
                   "TranscriptCue": ("transcript", "transcript_id")}


class Batch:
    """The indexing tasks of one transaction, enqueued once each when it commits."""

    def __init__(self):
        self.keys: dict[tuple, None] = {}

    def flush(self) -> None:
        from .tasks import index_task

        keys, self.keys = list(self.keys), {}
        whole = {(target, pk) for target, pk, part in keys if part == "all"}
        for target, pk, part in keys:
            if part == "all" or (target, pk) not in whole:  # "all" covers the parts
                index_task.enqueue(target, pk, part)


def current_batch() -> Batch:
    """This transaction's batch, registered with on_commit (anew after a rollback dropped it)."""
    batch = getattr(connection, "search_index_batch", None)
    registered = batch is not None and any(
        callback == batch.flush for _sids, callback, *_rest in connection.run_on_commit
    )
    if not registered:
        batch = Batch()
        connection.search_index_batch = batch
        transaction.on_commit(batch.flush)
    return batch


def enqueue(target: str, pk, part: str = "all") -> None:
    from .tasks import index_task

    if pk is None:
        return
    key = (target, int(pk), part)
    if connection.in_atomic_block and getattr(settings, "SEARCH_INDEX_AFTER_COMMIT", True):
        current_batch().keys[key] = None
    else:
        index_task.enqueue(*key)


def started_elsewhere(sender, origin) -> bool:
    """True for a row deleted because its talk, recording... was: the delete of that
    parent re-indexes (or, for a talk, the index rows go with it)."""
    if origin is None:
        return False
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model is not sender


def on_talk(sender, instance, created=False, **kwargs):
    """Its documents; and its people and organisations, who may have become public (or no
    longer be) with its status. A draft that is not in the index needs nothing."""
    from clustertalks.people.models import Participation

    from .models import SearchDocument

    if not instance.is_public and not SearchDocument.objects.filter(talk_id=instance.pk).exists():
        return
    enqueue("talk", instance.pk)
    if created:
        return
    for person_id, organisation_id in Participation.objects.filter(talk_id=instance.pk).values_list(
        "person_id", "organisation_id"
    ):
        enqueue("person", person_id, "self")
        enqueue("organisation", organisation_id)


def on_person(sender, instance, **kwargs):
    enqueue("person", instance.pk)


def on_organisation(sender, instance, **kwargs):
    enqueue("organisation", instance.pk)


def on_participation(sender, instance, origin=None, **kwargs):
    from clustertalks.talks.models import Talk

    deleting_talk = origin is not None and started_elsewhere(Talk, origin) is False
    if not deleting_talk:  # the talk's own index rows go with it
        enqueue("talk", instance.talk_id, "talk")
    enqueue("person", instance.person_id, "self")
    enqueue("organisation", instance.organisation_id)


def on_materials(sender, instance, origin=None, **kwargs):
    if started_elsewhere(sender, origin):
        return
    name = sender.__name__
    if name in TALK_PART_OF_MODEL:
        enqueue("talk", instance.talk_id, TALK_PART_OF_MODEL[name])
    else:
        target, attribute = PARENT_OF_MODEL[name]
        enqueue(target, getattr(instance, attribute))


def on_translation(sender, instance, origin=None, **kwargs):
    if started_elsewhere(sender, origin):
        return  # deleted with its talk, whose documents go with it
    enqueue("talk", instance.talk_id)


def on_materials_published(sender, talk, **kwargs):
    enqueue("talk", talk.pk)


def connect() -> None:
    from clustertalks.materials import models as materials
    from clustertalks.people.models import Organisation, Participation, Person
    from clustertalks.talks.models import Talk, TalkTranslation

    # A deleted talk's documents go with it (foreign key); its participations, deleted with it,
    # re-index its people and organisations.
    post_save.connect(on_talk, sender=Talk, dispatch_uid="search-Talk-save")
    receivers = [(Person, on_person), (Organisation, on_organisation), (Participation, on_participation),
                 (TalkTranslation, on_translation)]
    for name in [*TALK_PART_OF_MODEL, *PARENT_OF_MODEL]:
        receivers.append((getattr(materials, name), on_materials))
    for model, receiver in receivers:
        uid = f"search-{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + "-delete")
    events.materials_published.connect(on_materials_published, dispatch_uid="search-materials")
    from .expand import forget_synonyms
    from .models import Synonym

    post_save.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-save")
    post_delete.connect(forget_synonyms, sender=Synonym, dispatch_uid="search-synonyms-delete")
