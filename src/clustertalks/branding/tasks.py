"""Background work of the branding room, run by `clustertalks worker`: WebP renditions of an
identity's hero image and raster logo. Pages never wait: they show the upload until then."""

import logging

from django.db import transaction
from django_tasks import task

from clustertalks.core import images

from .uploads import looks_like_svg
from .models import HERO_WIDTHS, LOGO_HEIGHTS, Identity

logger = logging.getLogger(__name__)


@task()
def make_identity_renditions(identity_id: int, field: str, name: str) -> str:
    """Make and attach the renditions of the `field` ("hero_image" or "logo") stored as `name`:
    "stale" when it changed since (a newer task does the work), "skipped" for an SVG logo,
    "failed" when the file cannot be read."""
    identity = Identity.objects.filter(pk=identity_id).first()
    if identity is None or field not in ("hero_image", "logo") or getattr(identity, field).name != name:
        return "stale"
    try:
        with getattr(identity, field).open("rb") as handle:
            data = handle.read()
        if field == "logo" and looks_like_svg(data[:512]):
            return "skipped"  # an SVG (checked at upload): drawn sharp at any size, shown as it is
        if field == "hero_image":
            return _hero(identity, name, data)
        return _logo(identity, name, data)
    except (OSError, ValueError, images.Image.DecompressionBombError) as error:
        logger.warning("Could not make the renditions of identity %s's %s: %r", identity_id, field, error)
        return "failed"


def _hero(identity: Identity, name: str, data: bytes) -> str:
    largest = max(HERO_WIDTHS)
    picture = images.open_upright(data, (largest, largest))
    files = {}
    for width in HERO_WIDTHS:
        rendition = images.scaled(picture, width=width)
        files[f"hero_{width}"] = (f"hero-{identity.pk}-{width}.webp", images.webp(rendition))
    return images.attach_renditions(identity, "hero_image", name, files,
                                    hero_width=rendition.width, hero_height=rendition.height)


def _logo(identity: Identity, name: str, data: bytes) -> str:
    tallest = max(LOGO_HEIGHTS)
    picture = images.open_upright(data, (tallest * 8, tallest), keep_alpha=True)
    files = {}
    for height in LOGO_HEIGHTS:
        rendition = images.scaled(picture, height=height)
        files[f"logo_{height}"] = (f"logo-{identity.pk}-{height}.webp", images.webp(rendition))
    return images.attach_renditions(identity, "logo", name, files, logo_width=rendition.width)


def enqueue_renditions(identity_id: int, field: str, name: str) -> None:
    """Queue the renditions once the upload's transaction has committed."""
    transaction.on_commit(lambda: make_identity_renditions.enqueue(identity_id, field, name))


def queue_missing_renditions() -> int:
    """Queue the renditions of every hero image and raster logo that has none yet (identities
    uploaded before renditions existed); returns how many were queued."""
    queued = 0
    for identity in Identity.objects.all():
        if identity.hero_image and not identity.hero_1600:
            enqueue_renditions(identity.pk, "hero_image", identity.hero_image.name)
            queued += 1
        if identity.logo and not identity.logo_80 and not identity.logo.name.lower().endswith(".svg"):
            enqueue_renditions(identity.pk, "logo", identity.logo.name)
            queued += 1
    return queued
