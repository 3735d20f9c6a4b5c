"""Background work of the people room, run by `clustertalks worker`: the small versions of an
uploaded photo. Pages never wait for them: they show the initials until the row has them."""

import logging

from django.db import transaction
from django_tasks import task

from clustertalks.core import images

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
    files = {field: (f"person-{person.pk}-{size}.webp", made[size]) for size, field in zip(PHOTO_SIZES, RENDITION_FIELDS)}
    return images.attach_renditions(person, "photo", photo_name, files)


def enqueue_photo_renditions(person_id: int, photo_name: str) -> None:
    """Queue the renditions once the upload's transaction has committed."""
    transaction.on_commit(lambda: make_photo_renditions.enqueue(person_id, photo_name))
