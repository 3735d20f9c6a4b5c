"""Who may download an uploaded file (/media/...): the public when the row that holds it is
public, organisers always, nobody once the row is gone.

Each kind of upload is listed once with the rule of its room (a talk's materials are public
once published for a public talk; a banner or share image with its public talk; a photo with a
person who speaks in a public talk). An upload field that is not listed is for organisers only,
so a new FileField never leaks by default. Files themselves are deleted with their rows and on
replacement (django-cleanup) and get unguessable names (core.storage)."""

import posixpath
from dataclasses import dataclass
from typing import Callable

from django.apps import apps
from django.db.models import FileField, Q, QuerySet


@dataclass(frozen=True)
class PublicRule:
    model: str  # "app_label.Model"
    field: str
    public: Callable[[], QuerySet]  # the rows whose file anybody may download


def _public_materials(model_name: str) -> Callable[[], QuerySet]:
    def rows():
        from .selectors import public_materials

        return apps.get_model("materials", model_name).objects.filter(public_materials())

    return rows


def _with_public_talk(label: str) -> Callable[[], QuerySet]:
    def rows():
        from clustertalks.talks.models import Talk

        model = apps.get_model(label)
        if model is Talk:
            return Talk.objects.published()
        return model.objects.filter(talk__in=Talk.objects.published())

    return rows


def _public_people() -> QuerySet:
    from clustertalks.people.services import people_with_public_talks

    return people_with_public_talks()


PUBLIC_RULES = (
    PublicRule("materials.Attachment", "file", _public_materials("Attachment")),
    PublicRule("materials.Attachment", "thumbnail", _public_materials("Attachment")),
    PublicRule("materials.Recording", "video", _public_materials("Recording")),
    PublicRule("materials.Recording", "poster", _public_materials("Recording")),
    PublicRule("talks.Talk", "banner", _with_public_talk("talks.Talk")),
    PublicRule("feeds.ShareImage", "image", _with_public_talk("feeds.ShareImage")),
    PublicRule("people.Person", "photo", _public_people),
    # The small square versions the worker makes of it (people/tasks.py).
    *(PublicRule("people.Person", f"photo_{size}", _public_people) for size in (96, 192, 400)),
    # branding: a series' logo and hero image head public pages as soon as they are uploaded.
    PublicRule("branding.Identity", "logo", lambda: apps.get_model("branding", "Identity").objects.all()),
    PublicRule("branding.Identity", "hero_image", lambda: apps.get_model("branding", "Identity").objects.all()),
    # the worker's WebP renditions of the two (branding/tasks.py): public like their uploads
    *(PublicRule("branding.Identity", field, lambda: apps.get_model("branding", "Identity").objects.all())
      for field in ("hero_800", "hero_1600", "logo_40", "logo_80")),
)


def upload_fields() -> list[tuple]:
    """Every (model, field) that stores uploads, in any app."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    ]


def could_hold(field, path: str) -> bool:
    """Whether `path` can be a file of this field: its upload directory is the path's own."""
    upload_to = field.upload_to if isinstance(field.upload_to, str) else ""
    return not upload_to or posixpath.dirname(path) == upload_to.rstrip("/")


def normalised(path: str) -> str:
    clean = posixpath.normpath(path.lstrip("/"))
    return "" if clean.startswith("..") or clean in {".", ""} else clean


def media_is_public(path: str) -> bool:
    """True when anybody may download the media file at `path` (relative to MEDIA_ROOT)."""
    path = normalised(path)
    if not path:
        return False
    for rule in PUBLIC_RULES:
        model = apps.get_model(rule.model)
        if could_hold(model._meta.get_field(rule.field), path) and rule.public().filter(
            **{rule.field: path}
        ).exists():
            return True
    return False


def media_is_stored(path: str) -> bool:
    """True when a row still holds the file at `path`: a file left behind by a deleted row is
    never served, not even to organisers."""
    path = normalised(path)
    if not path:
        return False
    return any(
        model._base_manager.filter(Q(**{field.name: path})).exists()
        for model, field in upload_fields()
        if could_hold(field, path)
    )


def media_access(request, path: str) -> str | None:
    """"public" (anybody, cacheable), "private" (an organiser's preview of a file a row still
    holds) or None (refused): the check `core.media.serve_media` asks before sending a byte.
    A proxy that serves /media/ itself must ask this check first (see docs/deployment.md)."""
    from .selectors import is_organiser_anywhere

    if media_is_public(path):
        return "public"
    if is_organiser_anywhere(request.user) and media_is_stored(path):
        return "private"
    return None
