"""Indexing runs in the background worker (`clustertalks worker`); in tests, at once."""

from django_tasks import task

from clustertalks.core.pagecache import bump_public_generation

from . import services


@task()
def index_task(target: str, pk: int, part: str = services.ALL) -> int:
    """Re-index what `target` #`pk` (talk, person, organisation, recording, transcript,
    attachment) contributes to the search index; returns how many documents were made."""
    made = services.index_target(target, pk, part)
    bump_public_generation()  # the search page shows the index, written in bulk
    return made


@task()
def embed_task(talk_id: int | None = None) -> int:
    """Compute the semantic vectors of a talk's new documents (all missing ones without a talk)."""
    from . import semantic

    return semantic.embed_documents(talk_id=talk_id)
