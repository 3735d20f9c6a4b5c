"""Issue 10: write endpoints for slides and publishing materials; nothing unpublished is served by
any read endpoint; a search hit names its talk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clustertalks.materials.models import Attachment, AttachmentPage, Takeaway, TalkSummary
from clustertalks.materials.pdfmaker import build_text_pdf

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def _index_at_once(settings):
    settings.SEARCH_INDEX_AFTER_COMMIT = False


def test_slides_upload_extracts_text_and_stays_private_until_published(client, bearer, make_talk):
    talk = make_talk("Hydrogen valleys")
    pdf = SimpleUploadedFile("deck.pdf", build_text_pdf([("Electrolysers", ["Gigawatt scale by 2030"])]), "application/pdf")
    response = client.post(f"{API}/talks/{talk.slug}/slides", {"file": pdf, "title": "Keynote slides"}, **bearer)
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Keynote slides" and response.json()["page_count"] == 1
    attachment = Attachment.objects.get(talk=talk)
    assert AttachmentPage.objects.filter(attachment=attachment, text__icontains="gigawatt").exists()
    assert client.get(f"{API}/search", {"q": "gigawatt"}).json()["count"] == 0  # not published yet
    published = client.post(f"{API}/talks/{talk.slug}/materials/publish", **bearer)
    assert published.status_code == 200
    found = client.get(f"{API}/search", {"q": "gigawatt"}).json()
    assert found["count"] == 1
    item = found["items"][0]
    assert item["kind"] == "slide" and item["talk"]["slug"] == talk.slug and item["talk"]["title"] == "Hydrogen valleys"
    assert item["talk"]["url"].endswith(talk.get_absolute_url())


def test_slides_upload_refuses_what_is_not_a_pdf_and_needs_a_token(client, bearer, make_talk):
    talk = make_talk()
    fake = SimpleUploadedFile("deck.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(f"{API}/talks/{talk.slug}/slides", {"file": fake}, **bearer)
    assert response.status_code == 422 and "not a PDF" in response.json()["detail"]
    assert client.post(f"{API}/talks/{talk.slug}/slides", {"file": fake}).status_code == 401
    assert client.post(f"{API}/talks/{talk.slug}/materials/publish").status_code == 401


def test_publishing_a_draft_talks_materials_is_refused(client, bearer, make_talk):
    talk = make_talk(status="draft")
    response = client.post(f"{API}/talks/{talk.slug}/materials/publish", **bearer)
    assert response.status_code == 422 and "draft" in response.json()["detail"]


def test_unpublished_materials_never_appear_in_any_read_endpoint(client, make_talk, make_person, settings):
    talk = make_talk("Skills talk")
    person = make_person("Anna")
    TalkSummary.objects.create(talk=talk, text="Secret summary words")
    Takeaway.objects.create(talk=talk, kind="policy", text="Secret takeaway words", person=person)
    talk.participations.create(person=person)
    for path in ("/talks", f"/talks/{talk.slug}", "/takeaways", f"/takeaways?talk={talk.slug}",
                 "/people", f"/people/{person.slug}", "/search?q=secret", "/topics", "/organisations"):
        body = client.get(API + path).content.decode()
        assert "Secret" not in body, path
    for path in ("/feeds/talks.rss", "/feeds/recordings.rss", talk.get_absolute_url(), person.get_absolute_url(),
                 "/search/?q=secret"):
        response = client.get(path)
        assert response.status_code in (200, 404) and b"Secret" not in response.content, path
