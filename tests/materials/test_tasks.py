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


def pdf_with_page_size(width: int, height: int) -> bytes:
    """A minimal PDF (about 500 bytes) whose one page has this size in points."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>" % (width, height),
        b"<< /Length 22 >>\nstream\n0 0 1 rg 0 0 1 1 re f\nendstream",
    ]
    out, offsets = [b"%PDF-1.4\n"], []
    for number, body in enumerate(objects, start=1):
        offsets.append(sum(map(len, out)))
        out.append(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = sum(map(len, out))
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % offset for offset in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return b"".join(out)


@pytest.mark.parametrize("width, height", [(1, 1000), (1, 2000), (1, 14400), (14400, 1), (14400, 14400)])
def test_a_thin_or_huge_page_makes_a_small_picture(make_talk, media_root, width, height):
    """A 1 × 1000 pt page once made a 480 × 480,000 px render (1.7 GB); 1 × 2000 pt a MemoryError."""
    data = pdf_with_page_size(width, height)
    assert len(data) < 700
    attachment = attachment_with(make_talk(), data)

    assert extract_attachment.call(attachment.pk) == Attachment.Processing.DONE

    attachment.refresh_from_db()
    with attachment.thumbnail.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
    assert image.width <= 480 and image.height <= 960
    assert image.width * image.height <= 480 * 960


def test_a_page_that_cannot_be_drawn_keeps_its_text_and_says_so(make_talk, media_root, monkeypatch):
    from clustertalks.materials import tasks

    def out_of_memory(page):
        raise MemoryError

    monkeypatch.setattr(tasks, "render_thumbnail", out_of_memory)
    attachment = attachment_with(make_talk(), pdf_bytes(pages=2))

    assert extract_attachment.call(attachment.pk) == Attachment.Processing.DONE

    attachment.refresh_from_db()
    assert attachment.page_count == 2 and not attachment.thumbnail
    assert "could not be drawn" in attachment.processing_error


def test_the_after_the_talk_screen_shows_the_processing_message(admin_client, make_talk, media_root):
    from django.urls import reverse

    talk = make_talk()
    attachment = attachment_with(talk, pdf_bytes(pages=1))
    Attachment.objects.filter(pk=attachment.pk).update(
        processing=Attachment.Processing.FAILED, processing_error="This PDF could not be read (boom)."
    )
    page = admin_client.get(reverse("admin:materials_talkmaterials_change", args=[talk.pk]))
    assert "This PDF could not be read (boom)." in page.content.decode()
