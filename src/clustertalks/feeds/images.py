"""Share images drawn with Pillow: 1200 × 630 for Open Graph and LinkedIn, 1600 × 600 for
newsletters. Only the talk's facts go in; the drawing is a pure function of them."""

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, ImageOps

from clustertalks.branding.services import brand_for_series
from clustertalks.core import localdates

from .text import one_line

SIZES = {"share": (1200, 630), "banner": (1600, 600)}
FONT_DIR = Path(__file__).resolve().parent / "static" / "feeds" / "fonts"
DEFAULT_COLOUR = "#004494"
# Raise when the drawing changes, so every image is drawn again on its next request.
DRAWING_VERSION = "2"  # 2: speakers' faces, no bar along the left edge
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000


@dataclass(frozen=True)
class Card:
    """Everything an image shows, in the words and zone of the talk."""

    title: str
    series: str
    date: str
    time: str
    speakers: tuple[str, ...]
    colour: str
    site: str
    status: str
    # The first speakers' faces: (stored name of the photo's 192 px rendition or "", initials,
    # avatar colour). A new photo changes the rendition's name, so the image is drawn again.
    faces: tuple[tuple[str, str, str], ...] = ()
    ink: str = ""  # text colour: the identity's contrast-checked pair, else worked out
    accent: str = ""  # the identity's accent colour, for the band along the left edge

    def fingerprint(self, kind: str) -> str:
        return _fingerprint(self, kind)


@lru_cache(maxsize=1024)  # a talk page asks four times (head, JSON-LD, picture): a pure function of the card
def _fingerprint(card: Card, kind: str) -> str:
    data = json.dumps({**asdict(card), "kind": kind, "v": DRAWING_VERSION}, sort_keys=True)
    return hashlib.sha256(data.encode()).hexdigest()


def card_for(talk) -> Card:
    start, end = talk.local_start, talk.local_end
    people = talk.people()
    names = [one_line(person.name) for person in people]
    status = {"cancelled": _("Cancelled"), "postponed": _("Postponed")}.get(talk.status, "")
    brand = brand_for_series(talk.series_id)  # the series' identity (no query)
    if brand.is_default:
        colour, ink, accent = safe_colour(talk.series.colour if talk.series_id else ""), "", ""
    else:
        colour, ink, accent = brand.primary, brand.on_primary, brand.accent
    return Card(
        title=one_line(talk.title),
        series=one_line(talk.series.name) if talk.series_id else "",
        date=localdates.day(start),
        time=f"{start:%H:%M}–{end:%H:%M} {talk.zone_abbreviation}",
        speakers=tuple(names),
        colour=colour,
        site=settings.SITE_URL.split("://", 1)[1],
        status=status,
        faces=tuple(face_of(person) for person in people[:MAX_FACES]),
        ink=ink,
        accent=accent,
    )


MAX_FACES = 4
FACE_SIZE = 96
FACE_GAP = 12
FACES_BELOW_DATE = 44  # from the top of the date line to the top of the faces


def face_of(person) -> tuple[str, str, str]:
    from clustertalks.people.naming import AVATAR_COLOURS

    photo = person.photo_192.name if person.has_photo else ""
    return (photo, person.initials, AVATAR_COLOURS[person.avatar_colour])


def speaker_line(names, shown: int = 4) -> str:
    if not names:
        return ""
    names = list(names)
    if len(names) > shown:
        rest = len(names) - shown
        return _("With %(names)s and %(count)d more") % {"names": ", ".join(names[:shown]), "count": rest}
    return _("With %(names)s") % {"names": ", ".join(names)}


def safe_colour(value: str) -> str:
    return value if re.fullmatch(r"#[0-9a-fA-F]{6}", value or "") else DEFAULT_COLOUR


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def ink_for(background: tuple[int, int, int]) -> tuple[int, int, int]:
    """White on dark colours, near-black on light ones (relative luminance, WCAG)."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    luminance = sum(w * channel(c) for w, c in zip((0.2126, 0.7152, 0.0722), background))
    return (255, 255, 255) if luminance < 0.18 else (17, 17, 17)


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def wrap(text: str, typeface, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap; the last line ends with an ellipsis when the text does not fit."""
    lines, current = [], ""
    for word in text.split():
        while typeface.getlength(word) > width:  # a word longer than a line is cut
            cut = _fit(word, typeface, width)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if typeface.getlength(candidate) <= width:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _with_ellipsis(lines[-1], typeface, width)
    return lines


def _fit(word: str, typeface, width: int) -> int:
    cut = len(word)
    while cut > 1 and typeface.getlength(word[:cut]) > width:
        cut -= 1
    return cut


def _with_ellipsis(line: str, typeface, width: int) -> str:
    while line and typeface.getlength(line + "…") > width:
        line = line[:-1]
    return line.rstrip() + "…"


def title_lines(title: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size whose wrapped lines fit the box (at least 40 px)."""
    for size in (76, 68, 60, 54, 48, 44, 40):
        typeface = font(size, bold=True)
        max_lines = max(1, height // int(size * 1.2))
        lines = wrap(title, typeface, width, max_lines)
        if not lines or not lines[-1].endswith("…"):
            return typeface, lines
    return typeface, lines


def draw(card: Card, kind: str) -> bytes:
    width, height = SIZES[kind]
    background = rgb(card.colour)
    ink = rgb(card.ink) if card.ink else ink_for(background)
    image = Image.new("RGB", (width, height), background)
    canvas = ImageDraw.Draw(image)
    margin = 72 if kind == "share" else 90
    text_width = width - 2 * margin

    y = margin - 12
    header = " · ".join(part for part in (card.series, card.status.upper()) if part)
    if header:
        canvas.text((margin, y), _fit_one_line(header, font(30, True), text_width), font=font(30, True), fill=ink)
    y += 64

    footer_top = height - margin - 3 * 44
    typeface, lines = title_lines(card.title, text_width, footer_top - y - 16)
    line_height = int(typeface.size * 1.2)
    for line in lines:
        canvas.text((margin, y), line, font=typeface, fill=ink)
        y += line_height

    # The faces sit at the right of the speakers' line; the date line keeps the whole width.
    faces_width = draw_faces(image, card.faces, right=width - margin, top=footer_top + FACES_BELOW_DATE)
    names_width = text_width - (faces_width + 24 if faces_width else 0)
    facts = [
        (f"{card.date} · {card.time}", font(34, True), text_width),
        (fitting_speaker_line(card.speakers, font(30), names_width), font(30), names_width),
    ]
    y = footer_top
    for fact, face, room in facts:
        if fact:
            canvas.text((margin, y), _fit_one_line(fact, face, room), font=face, fill=ink)
        y += 48
    site_face = font(24)
    canvas.text((margin, height - margin + 8), _fit_one_line(card.site, site_face, text_width), font=site_face, fill=ink)

    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def draw_faces(image: Image.Image, faces, *, right: int, top: int) -> int:
    """The speakers' photos (or initials) as a row of circles ending at `right`; returns the
    width they take (0 without speakers)."""
    if not faces:
        return 0
    width = len(faces) * FACE_SIZE + (len(faces) - 1) * FACE_GAP
    x = right - width
    mask = circle_mask(FACE_SIZE)
    for photo, letters, colour in faces:
        picture = face_picture(photo, letters, colour)
        image.paste(picture, (x, top), mask)
        x += FACE_SIZE + FACE_GAP
    return width


@lru_cache(maxsize=4)
def circle_mask(size: int) -> Image.Image:
    big = Image.new("L", (size * 4, size * 4), 0)
    ImageDraw.Draw(big).ellipse([0, 0, size * 4 - 1, size * 4 - 1], fill=255)
    return big.resize((size, size), Image.Resampling.LANCZOS)


def face_picture(photo: str, letters: str, colour: str) -> Image.Image:
    """A speaker's rendition from media storage, or their initials on their avatar colour when
    there is none or it cannot be read."""
    if photo:
        try:
            from django.core.files.storage import default_storage

            with default_storage.open(photo, "rb") as handle, Image.open(handle) as stored:
                return ImageOps.fit(stored.convert("RGB"), (FACE_SIZE, FACE_SIZE))
        except (OSError, ValueError, Image.DecompressionBombError):
            pass
    tile = Image.new("RGB", (FACE_SIZE, FACE_SIZE), rgb(safe_colour(colour)))
    canvas = ImageDraw.Draw(tile)
    canvas.text((FACE_SIZE / 2, FACE_SIZE / 2), letters, font=font(38, True), fill=(255, 255, 255), anchor="mm")
    return tile


def fitting_speaker_line(names, typeface, width: int) -> str:
    """As many names as fit on one line, then "and N more"."""
    for shown in range(min(len(names), 4), 0, -1):
        line = speaker_line(names, shown)
        if typeface.getlength(line) <= width:
            return line
    return speaker_line(names, 1)


def _fit_one_line(text: str, typeface, width: int) -> str:
    return text if typeface.getlength(text) <= width else _with_ellipsis(text, typeface, width)


class UploadError(ValueError):
    pass


def fit_upload(upload, kind: str) -> bytes:
    """An organiser's picture, checked and cropped to fill the image size, as PNG."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise UploadError(_("The image is larger than 10 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            if picture.format not in {"PNG", "JPEG", "WEBP", "GIF"}:
                raise UploadError(_("Upload a PNG, JPEG, WebP or GIF image."))
            if picture.width * picture.height > MAX_UPLOAD_PIXELS:
                raise UploadError(_("The image has too many pixels (40 megapixels at most)."))
            picture.verify()
        upload.seek(0)
        with Image.open(upload) as picture:
            fitted = ImageOps.fit(ImageOps.exif_transpose(picture).convert("RGB"), SIZES[kind])
    except UploadError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise UploadError(_("This file is not an image that can be read.")) from error
    output = io.BytesIO()
    fitted.save(output, format="PNG", optimize=True)
    return output.getvalue()
