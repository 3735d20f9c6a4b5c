"""Share images: drawn on first request, kept in media storage, drawn again when the talk's
facts change, and replaced for good by an organiser's upload."""

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from . import images
from .models import ShareImage


@dataclass(frozen=True)
class ShareImageFile:
    content: bytes
    etag: str


def share_image(talk, kind: str) -> ShareImageFile:
    """The PNG for `talk` (with its series and participations loaded)."""
    card = images.card_for(talk)
    fingerprint = card.fingerprint(kind)
    stored = ShareImage.objects.filter(talk=talk, kind=kind).first()
    if stored and (stored.uploaded_by_organiser or stored.source_hash == fingerprint):
        content = _read(stored)
        if content is not None:
            return ShareImageFile(content, stored.source_hash)
        if stored.uploaded_by_organiser:  # the upload's file is gone: draw one again
            stored.uploaded_by_organiser = False
    content = images.draw(card, kind)
    _store(talk, kind, stored, content, fingerprint)
    return ShareImageFile(content, fingerprint)


def replace_with_upload(talk, kind: str, upload) -> ShareImage:
    """Keep an organiser's picture (cropped to size) instead of the drawing."""
    content = images.fit_upload(upload, kind)
    stored = ShareImage.objects.filter(talk=talk, kind=kind).first()
    fingerprint = "upload-" + hashlib.sha256(content).hexdigest()[:57]
    return _store(talk, kind, stored, content, fingerprint, uploaded=True)


def _read(stored: ShareImage) -> bytes | None:
    try:
        with stored.image.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def _store(talk, kind, stored, content, fingerprint, uploaded=False) -> ShareImage:
    old_name = stored.image.name if stored and stored.image else ""
    stored = stored or ShareImage(talk=talk, kind=kind)
    stored.source_hash = fingerprint
    stored.uploaded_by_organiser = uploaded
    stored.image.save(f"{talk.slug}-{kind}-{fingerprint[-12:]}.png", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:  # another request drew the same image at the same moment
        stored.image.delete(save=False)
        return ShareImage.objects.get(talk=talk, kind=kind)
    if old_name and old_name != stored.image.name:
        stored.image.storage.delete(old_name)
    return stored
