"""Background work of the people room, run by `clustertalks worker`: the small versions of an
uploaded photo. Pages never wait for them: they show the initials until the row has them."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from clustertalks.core.pagecache import bump_public_generation

from . import photos
from .models import PHOTO_SIZES, RENDITION_FIELDS, Person

logger = logging.getLogger(__name__)


@task()
def make_photo_renditions(person_id: int, photo_name: str) -> str:
    """Make and attach the renditions of `photo_name`; "stale" when the person or the photo
    changed since the task was queued (a newer task does the work), "failed" when unreadable."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or person.photo.name != photo_name:
        return "stale"
    try:
        with person.photo.open("rb") as handle:
            data = handle.read()
        made = photos.renditions(data, PHOTO_SIZES)
    except (OSError, ValueError, photos.Image.DecompressionBombError) as error:
        logger.warning("Could not make the renditions of person %s's photo: %r", person_id, error)
        return "failed"
    return store_renditions(person, photo_name, made)


def store_renditions(person: Person, photo_name: str, made: dict[int, bytes]) -> str:
    storage = person.photo.storage
    stem = f"person-{person.pk}"
    names = {}
    for size, field in zip(PHOTO_SIZES, RENDITION_FIELDS):
        wanted = Person._meta.get_field(field).generate_filename(person, f"{stem}-{size}.webp")
        names[field] = storage.save(wanted, ContentFile(made[size]))
    old = [getattr(person, field).name for field in RENDITION_FIELDS if getattr(person, field)]
    # A raw update, only if the photo is still the one these were made from: no re-index of the
    # person's talks, no audit entry, and no race with an organiser's new upload.
    updated = Person.objects.filter(pk=person.pk, photo=photo_name).update(**names)
    if not updated:
        for name in names.values():
            storage.delete(name)
        return "stale"
    for name in old:
        storage.delete(name)
    bump_public_generation()  # a raw update sends no signal: public pages show the photo now
    return "done"


def enqueue_photo_renditions(person_id: int, photo_name: str) -> None:
    """Queue the renditions once the upload's transaction has committed."""
    transaction.on_commit(lambda: make_photo_renditions.enqueue(person_id, photo_name))
