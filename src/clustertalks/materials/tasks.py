"""Background work of the materials room, run by `clustertalks worker`: the text of every page of
an uploaded PDF (for search) and a picture of its first page (for the talk page)."""

import io
import logging

import pypdfium2 as pdfium
from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from clustertalks.core.pagecache import bump_public_generation

from .models import Attachment, AttachmentPage

logger = logging.getLogger(__name__)
THUMBNAIL_WIDTH = 480
MAX_PAGE_TEXT = 100_000


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
    except (pdfium.PdfiumError, OSError, ValueError) as error:
        logger.warning("Could not extract attachment %s: %s", attachment_id, error)
        Attachment.objects.filter(pk=attachment_id).update(
            processing=Attachment.Processing.FAILED, processing_error=str(error)[:500]
        )
        bump_public_generation()  # a raw update sends no signal
        return Attachment.Processing.FAILED
    store_extraction(attachment, texts, thumbnail)
    return Attachment.Processing.DONE


def read_pdf(data: bytes) -> tuple[list[str], bytes]:
    """The text of each page, and the first page as a PNG picture."""
    document = pdfium.PdfDocument(data)
    try:
        texts = [page_text(document[index]) for index in range(len(document))]
        first = document[0]
        scale = THUMBNAIL_WIDTH / max(first.get_width(), 1)
        image = first.render(scale=scale).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return texts, buffer.getvalue()


def page_text(page) -> str:
    text = page.get_textpage().get_text_bounded()
    return " ".join(text.replace("\x00", " ").split())[:MAX_PAGE_TEXT]


@transaction.atomic
def store_extraction(attachment: Attachment, texts: list[str], thumbnail: bytes) -> None:
    attachment.pages.all().delete()
    AttachmentPage.objects.bulk_create(
        AttachmentPage(attachment=attachment, number=number, text=text)
        for number, text in enumerate(texts, start=1)
    )
    if attachment.thumbnail:
        attachment.thumbnail.delete(save=False)
    attachment.thumbnail.save(f"attachment-{attachment.pk}.png", ContentFile(thumbnail), save=False)
    attachment.page_count = len(texts)
    attachment.processing = Attachment.Processing.DONE
    attachment.processing_error = ""
    attachment.save(update_fields=["thumbnail", "page_count", "processing", "processing_error"])


def enqueue_extraction(attachment_id: int) -> None:
    """Queue the extraction once the upload's transaction has committed."""
    transaction.on_commit(lambda: extract_attachment.enqueue(attachment_id))
