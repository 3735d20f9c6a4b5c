"""Slides given by address (import) or uploaded (API): stored as an attachment, then their text
is extracted by the materials room's task, as for a back-office upload."""

import urllib.request

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clustertalks.materials.models import Attachment
from clustertalks.materials.services import limit, validate_pdf
from clustertalks.talks.models import Talk

FETCH_TIMEOUT_SECONDS = 20


def add_slides(talk: Talk, upload, title: str = "") -> Attachment:
    """A validated PDF becomes the talk's next attachment; its text is extracted by the worker."""
    from clustertalks.materials.tasks import extract_attachment

    info = validate_pdf(upload)
    attachment = Attachment(
        talk=talk, title=(title or upload.name or "Slides")[:250], order=talk.attachments.count() + 1,
        size_bytes=info.size_bytes, page_count=info.page_count,
    )
    attachment.file.save(upload.name or "slides.pdf", upload, save=False)
    attachment.save()
    extract_attachment.enqueue(attachment.pk)
    return attachment


def fetch_slides(talk_id: int, url: str) -> str:
    from .importing import missing_slides, slide_title

    talk = Talk.objects.filter(pk=talk_id).first()
    if talk is None or not missing_slides(talk_id, [url]):
        return "skipped"
    maximum = limit("MATERIALS_MAX_PDF_BYTES")
    request = urllib.request.Request(url, headers={"User-Agent": "clustertalks-import"})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:  # noqa: S310 (http/https checked at import)
            data = response.read(maximum + 1)
    except (OSError, ValueError) as error:
        return f"failed: {error}"[:200]
    name = slide_title(url)
    upload = SimpleUploadedFile(name if name.lower().endswith(".pdf") else name + ".pdf", data, "application/pdf")
    try:
        add_slides(talk, upload, title=name)
    except ValidationError as error:
        return f"refused: {' '.join(error.messages)}"[:200]
    return "done"
