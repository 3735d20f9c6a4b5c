"""Resized WebP versions of uploaded pictures, made by the worker and kept on the row.

Shared by speaker photos (people.photos/tasks) and a series identity's logo and hero image
(branding.tasks). Pages never wait for a rendition: they show the original (or initials) until
the worker has attached one with `attach_renditions`."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from clustertalks.core.pagecache import bump_public_generation

WEBP_QUALITY = 80
RASTER_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # checked from the header, before Pillow decodes a pixel


class NotAPicture(ValueError):
    """The stored file is not a picture this site accepts (written outside the forms)."""


def open_upright(data: bytes, draft_box: tuple[int, int], *, keep_alpha: bool = False) -> Image.Image:
    """The picture in `data`, turned upright by its EXIF orientation, in RGB (RGBA with
    `keep_alpha`). A JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers
    `draft_box`: a 12-megapixel photo takes a fifth of the time and memory."""
    with Image.open(io.BytesIO(data)) as picture:
        if picture.format not in RASTER_FORMATS or picture.width * picture.height > MAX_PIXELS:
            raise NotAPicture("not a picture this site accepts")
        picture.draft("RGB", draft_box)
        upright = ImageOps.exif_transpose(picture)
        has_alpha = keep_alpha and ("A" in upright.getbands() or "transparency" in upright.info)
        return upright.convert("RGBA" if has_alpha else "RGB")


def webp(picture: Image.Image) -> bytes:
    output = io.BytesIO()
    picture.save(output, format="WEBP", quality=WEBP_QUALITY, method=4)
    return output.getvalue()


def scaled(picture: Image.Image, *, width: int | None = None, height: int | None = None) -> Image.Image:
    """`picture` at the given width or height, keeping its proportions; never enlarged."""
    if width is not None and picture.width > width:
        return picture.resize((width, max(1, round(picture.height * width / picture.width))), Image.Resampling.LANCZOS)
    if height is not None and picture.height > height:
        return picture.resize((max(1, round(picture.width * height / picture.height)), height), Image.Resampling.LANCZOS)
    return picture.copy()


def attach_renditions(instance, source_field: str, source_name: str, files: dict[str, tuple[str, bytes]],
                      **values) -> str:
    """Save `files` ({field: (file name, bytes)}) and set them (and `values`) on the row, only if
    its `source_field` is still `source_name`: a raw update, so no re-index, no audit entry and no
    race with a newer upload ("stale": the new files are removed, a newer task does the work).
    The renditions they replace are deleted; public pages are refreshed."""
    model = type(instance)
    storage = getattr(instance, source_field).storage
    names = {}
    for field, (filename, content) in files.items():
        wanted = model._meta.get_field(field).generate_filename(instance, filename)
        names[field] = storage.save(wanted, ContentFile(content))
    old = [getattr(instance, field).name for field in files if getattr(instance, field)]
    updated = model.objects.filter(pk=instance.pk, **{source_field: source_name}).update(**names, **values)
    if not updated:
        for name in names.values():
            storage.delete(name)
        return "stale"
    for name in old:
        if name not in names.values():
            storage.delete(name)
    bump_public_generation()  # a raw update sends no signal: public pages show the renditions now
    return "done"
