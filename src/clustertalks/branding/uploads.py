"""Checks of an identity's pictures, by their content (never by their name or declared type).

A logo is an SVG or a PNG/JPEG/WebP picture; a hero image is a PNG/JPEG/WebP picture. An SVG is
read with defusedxml (no DTD, no entities, no external references) and refused when it could run
anything or fetch anything: scripts, event handler attributes, embedded HTML, links or styles
that leave the file. Refusing is clearer than silently cutting parts out of a logo."""

import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

LOGO_MAX_BYTES = 512 * 1024
HERO_MAX_BYTES = 5 * 1024 * 1024
LOGO_MAX_SIDE = 4000
HERO_MIN_WIDTH = 600
HERO_MAX_PIXELS = 40_000_000
RASTER_FORMATS = {"PNG", "JPEG", "WEBP"}

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
FORBIDDEN_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
FORBIDDEN_NAMESPACES = {"http://www.w3.org/1999/xhtml"}
OUTSIDE_REFERENCE = re.compile(r"url\(\s*['\"]?\s*(?!#)|@import|javascript:|expression\(", re.IGNORECASE)


def looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<?xml") or text.startswith(b"<svg") or text.startswith(b"<!--")


def _read(upload, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    if len(content) > limit:
        raise ValidationError(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}, code="too_large")
    if not content:
        raise ValidationError(_("The file is empty."), code="empty")
    return content


def check_logo(upload) -> str:
    """'svg' or the raster format of a valid logo; a ValidationError otherwise."""
    content = _read(upload, LOGO_MAX_BYTES)
    if looks_like_svg(content[:256]):
        check_svg(content)
        return "svg"
    return _check_raster(content, max_side=LOGO_MAX_SIDE)


def check_hero(upload) -> str:
    content = _read(upload, HERO_MAX_BYTES)
    picture_format = _check_raster(content, min_width=HERO_MIN_WIDTH)
    return picture_format


def _check_raster(content: bytes, *, max_side: int | None = None, min_width: int | None = None) -> str:
    import io

    try:
        with Image.open(io.BytesIO(content)) as picture:
            picture_format = picture.format
            width, height = picture.size
            if picture_format not in RASTER_FORMATS:
                raise ValidationError(_("Upload an SVG, PNG, JPEG or WebP image."), code="format")
            if width * height > HERO_MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels (40 megapixels at most)."), code="pixels")
            picture.verify()
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not an image that can be read."), code="unreadable") from error
    if max_side and max(width, height) > max_side:
        raise ValidationError(
            _("The image is %(width)d × %(height)d pixels; %(limit)d pixels a side at most.")
            % {"width": width, "height": height, "limit": max_side},
            code="dimensions",
        )
    if min_width and width < min_width:
        raise ValidationError(
            _("The image is %(width)d pixels wide; at least %(limit)d are needed.")
            % {"width": width, "limit": min_width},
            code="dimensions",
        )
    return picture_format.lower()


def _local(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        namespace, _sep, local = name[1:].partition("}")
        return namespace, local
    return "", name


def check_svg(content: bytes) -> None:
    try:
        root = ElementTree.fromstring(content, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ElementTree.ParseError, ValueError) as error:
        raise ValidationError(_("This SVG cannot be read safely (it is not well-formed, or it declares a DTD or entities)."), code="svg") from error
    if _local(root.tag) != (SVG_NAMESPACE, "svg"):
        raise ValidationError(_("This file is not an SVG image."), code="svg")
    for element in root.iter():
        namespace, name = _local(element.tag) if isinstance(element.tag, str) else ("", "")
        if name.lower() in FORBIDDEN_ELEMENTS or namespace in FORBIDDEN_NAMESPACES:
            raise ValidationError(_("The SVG contains a script or embedded content (<%(name)s>); remove it and upload it again.") % {"name": name}, code="svg_script")
        if name.lower() in {"set", "animate"} and "href" in element.get("attributeName", "").lower():
            raise ValidationError(_("The SVG animates a link; remove it and upload it again."), code="svg_script")
        if name.lower() == "style" and OUTSIDE_REFERENCE.search(element.text or ""):
            raise ValidationError(_("The SVG's styles load something from outside the file."), code="svg_external")
        for attribute, value in element.attrib.items():
            _ns, local = _local(attribute)
            local = local.lower()
            if local.startswith("on"):
                raise ValidationError(_("The SVG contains a script (the %(attribute)s attribute); remove it and upload it again.") % {"attribute": local}, code="svg_script")
            if local == "href" and not value.strip().startswith("#"):
                raise ValidationError(_("The SVG links to something outside the file."), code="svg_external")
            if OUTSIDE_REFERENCE.search(value):
                raise ValidationError(_("The SVG refers to something outside the file."), code="svg_external")
