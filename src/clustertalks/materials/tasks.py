"""Background work of the materials room, run by `clustertalks worker`: the text of every page of
an uploaded PDF (for search) and a picture of its first page (for the talk page)."""

import io
import logging

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from clustertalks.core.pagecache import bump_public_generation

from .models import Attachment, AttachmentPage

logger = logging.getLogger(__name__)
THUMBNAIL_WIDTH = 480
MAX_PAGE_TEXT = 100_000
# A page's picture is at most 480 × 960 px: a taller page (or one wider than 4:1) is cropped to
# its top-left part, so a 1 × 1000 pt page cannot make a 480 × 480,000 px render (1.7 GB).
MAX_THUMBNAIL_HEIGHT = 2 * THUMBNAIL_WIDTH
MAX_WIDTH_TO_HEIGHT = 4
THUMBNAIL_ERRORS = (pdfium.PdfiumError, MemoryError, ValueError, OSError)


@task()
def extract_attachment(attachment_id: int) -> str:
    """Fill in the pages' text, the page count and the thumbnail; returns the new state."""
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        return "missing"
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
        texts, thumbnail = read_pdf(data)
    except (pdfium.PdfiumError, OSError, ValueError, MemoryError) as error:
        logger.warning("Could not extract attachment %s: %r", attachment_id, error)
        Attachment.objects.filter(pk=attachment_id).update(
            processing=Attachment.Processing.FAILED,
            processing_error=_("The text of this PDF could not be read (%(error)s). Export it again "
                               "and upload it anew.") % {"error": str(error)[:200] or type(error).__name__},
        )
        bump_public_generation()  # a raw update sends no signal
        return Attachment.Processing.FAILED
    store_extraction(attachment, texts, thumbnail)
    return Attachment.Processing.DONE


def read_pdf(data: bytes) -> tuple[list[str], bytes | None]:
    """The text of each page, and the first page as a PNG picture (None when it cannot be
    drawn: the text is still worth having for search)."""
    document = pdfium.PdfDocument(data)
    try:
        texts = [page_text(document[index]) for index in range(len(document))]
        try:
            thumbnail = render_thumbnail(document[0])
        except THUMBNAIL_ERRORS as error:
            logger.warning("Could not draw the first page: %r", error)
            thumbnail = None
    finally:
        document.close()
    return texts, thumbnail


def thumbnail_geometry(width: float, height: float) -> tuple[float, tuple[float, float, float, float]]:
    """The scale and the crop (left, bottom, right, top, in points) that fit a page of this
    size into THUMBNAIL_WIDTH × MAX_THUMBNAIL_HEIGHT pixels, keeping its top-left part."""
    if width <= 0 or height <= 0:
        raise ValueError("the page has no size")
    shown_width = min(width, height * MAX_WIDTH_TO_HEIGHT)
    shown_height = min(height, shown_width * MAX_THUMBNAIL_HEIGHT / THUMBNAIL_WIDTH)
    scale = min(THUMBNAIL_WIDTH / shown_width, MAX_THUMBNAIL_HEIGHT / shown_height)
    return scale, (0, height - shown_height, width - shown_width, 0)


def render_thumbnail(page) -> bytes:
    scale, crop = thumbnail_geometry(page.get_width(), page.get_height())
    image = page.render(scale=scale, crop=crop).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def page_text(page) -> str:
    text = page.get_textpage().get_text_bounded()
    return " ".join(text.replace("\x00", " ").split())[:MAX_PAGE_TEXT]


@transaction.atomic
def store_extraction(attachment: Attachment, texts: list[str], thumbnail: bytes | None) -> None:
    attachment.pages.all().delete()
    AttachmentPage.objects.bulk_create(
        AttachmentPage(attachment=attachment, number=number, text=text)
        for number, text in enumerate(texts, start=1)
    )
    if attachment.thumbnail:
        attachment.thumbnail.delete(save=False)
    if thumbnail is not None:
        attachment.thumbnail.save(f"attachment-{attachment.pk}.png", ContentFile(thumbnail), save=False)
    attachment.page_count = len(texts)
    attachment.processing = Attachment.Processing.DONE
    attachment.processing_error = "" if thumbnail is not None else _(
        "Its text was read, but its first page could not be drawn as a picture (its size or "
        "content is unusual): the talk page shows no preview of it."
    )
    attachment.save(update_fields=["thumbnail", "page_count", "processing", "processing_error"])


def enqueue_extraction(attachment_id: int) -> None:
    """Queue the extraction once the upload's transaction has committed."""
    transaction.on_commit(lambda: extract_attachment.enqueue(attachment_id))
