"""The worker's part: text of every page and a first-page picture, or a clear failure."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from clustertalks.materials.models import Attachment
from clustertalks.materials.tasks import extract_attachment

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def attachment_with(talk, data):
    attachment = Attachment(talk=talk, title="Slides", size_bytes=len(data))
    attachment.file.save("slides.pdf", ContentFile(data), save=False)
    attachment.save()
    return attachment


def test_extraction_yields_page_texts_and_a_thumbnail(make_talk, media_root):
    attachment = attachment_with(make_talk(), pdf_bytes(pages=3))

    result = extract_attachment.call(attachment.pk)

    attachment.refresh_from_db()
    assert result == Attachment.Processing.DONE == attachment.processing
    assert attachment.page_count == 3
    assert [page.number for page in attachment.pages.all()] == [1, 2, 3]
    assert attachment.pages.get(number=2).text == "Slide 2 Clusters and skills, part 2 Café, crème et coopération"
    with attachment.thumbnail.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "PNG" and image.width == 480


def test_running_it_twice_keeps_one_text_per_page(make_talk, media_root):
    attachment = attachment_with(make_talk(), pdf_bytes(pages=2))

    extract_attachment.call(attachment.pk)
    extract_attachment.call(attachment.pk)

    assert attachment.pages.count() == 2


def test_a_file_that_breaks_in_storage_is_marked_failed(make_talk, media_root):
    attachment = attachment_with(make_talk(), b"%PDF-1.4 broken")

    assert extract_attachment.call(attachment.pk) == Attachment.Processing.FAILED
    attachment.refresh_from_db()
    assert attachment.processing == Attachment.Processing.FAILED and attachment.processing_error
    assert not attachment.pages.exists()


def test_a_deleted_attachment_is_skipped(db):
    assert extract_attachment.call(12345) == "missing"
