"""Speaker photos: what an upload must be, and the small square WebP versions pages show.

Pillow directly, not a thumbnail library: the renditions are made once by the worker and kept on
the Person row (three FileFields), so a page reads them with the person it already loads, and
the media access check (materials.media) covers them like any upload. easy-thumbnails and
sorl-thumbnail make thumbnails when a template first asks (a page would wait for Pillow, and
each thumbnail costs a look-up in their own table or cache); django-imagekit's cache files do
the same unless given its own Celery/RQ back end, which this project does not run."""

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from clustertalks.core import images

MAX_BYTES = 10 * 1024 * 1024
MIN_SIDE = 200
MAX_SIDE = 8000
MAX_PIXELS = 40_000_000  # checked from the header, before Pillow decodes a pixel
FORMATS = images.RASTER_FORMATS


class PhotoError(ValueError):
    pass


def check_photo(upload) -> None:
    """Raise PhotoError with a sentence for the organiser when `upload` is not a usable photo:
    judged by its content (never its name or declared type), its size and its dimensions."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise PhotoError(_("The photo is larger than 10 MB: export it smaller and upload it again."))
    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            if picture.format not in FORMATS:
                raise PhotoError(_("Upload a JPEG, PNG or WebP photo."))
            width, height = picture.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise PhotoError(
                    _("The photo is %(width)d × %(height)d px; at most %(max)d px on a side and "
                      "40 megapixels.") % {"width": width, "height": height, "max": MAX_SIDE}
                )
            if min(width, height) < MIN_SIDE:
                raise PhotoError(
                    _("The photo is %(width)d × %(height)d px; it needs at least %(min)d px on "
                      "each side.") % {"width": width, "height": height, "min": MIN_SIDE}
                )
            picture.verify()
        upload.seek(0)
        with Image.open(upload) as picture:
            picture.load()  # a truncated or corrupt file fails here, not in the worker
    except PhotoError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoError(_("This file is not a photo that can be read.")) from error
    finally:
        upload.seek(0)


def renditions(data: bytes, sizes) -> dict[int, bytes]:
    """Square WebP versions of the photo in `data`, cropped around its centre, turned upright."""
    largest = max(sizes)
    try:
        upright = images.open_upright(data, (2 * largest, 2 * largest))
    except images.NotAPicture as error:
        raise PhotoError(str(error)) from error
    square = ImageOps.fit(upright, (largest, largest), Image.Resampling.LANCZOS)
    return {size: images.webp(square.resize((size, size), Image.Resampling.LANCZOS)) for size in sizes}
