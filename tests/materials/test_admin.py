"""The 'after the talk' screen: attach everything in one go, refuse bad uploads whole, publish."""


import pytest
from django.core.files.uploadhandler import StopUpload
from django.test import Client
from django.urls import reverse

from clustertalks.core import events
from clustertalks.materials.admin import SizeLimitUploadHandler
from clustertalks.materials.models import (
    Attachment,
    Recording,
    Takeaway,
    TalkSummary,
    TranscriptCue,
)
from clustertalks.talks.models import Talk

from .conftest import VTT, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def change_url(talk):
    return reverse("admin:materials_talkmaterials_change", args=[talk.pk])


def formset(prefix, rows, initial=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def screen_data(*, recording=None, attachment=None, summary="Clusters **share** skills.", takeaways=2):
    recording = {"order": "0", "title": "", "url": "https://youtu.be/dQw4w9WgXcQ", "language": "en",
                 "transcript_file": upload("talk.vtt", VTT.encode()), **(recording or {})}
    attachment = {"order": "0", "kind": "slides", "title": "", "file": upload("Our_slides.pdf", pdf_bytes()),
                  **(attachment or {})}
    return {
        **formset("recordings", [recording]),
        **formset("attachments", [attachment]),
        **formset("summary", [{"text": summary}]),
        **formset("takeaways", [{"order": str(n), "kind": "challenge", "text": f"Takeaway {n}"}
                                for n in range(takeaways)]),
    }


def nothing_saved():
    return not any(model.objects.exists() for model in (Recording, Attachment, TalkSummary, Takeaway, TranscriptCue))


def test_the_screen_lists_talks_and_opens_one(admin_client, full_talk):
    talk = full_talk(title="Results and visions")

    assert "Results and visions" in admin_client.get(reverse("admin:materials_talkmaterials_changelist")).content.decode()
    html = admin_client.get(change_url(talk)).content.decode()
    assert "Save and publish materials" in html and 'name="recordings-TOTAL_FORMS"' in html


def test_everything_is_attached_in_one_save(admin_client, full_talk, media_root, django_capture_on_commit_callbacks):
    talk = full_talk()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(talk), screen_data())

    assert response.status_code == 302, response.content.decode()[:3000]
    recording = talk.recordings.get()
    assert recording.source == Recording.Source.YOUTUBE
    assert list(recording.transcript.cues.values_list("text", flat=True)) == [
        "Welcome to the EU Clusters Talks.", "Clusters help SMEs find skills & partners."]
    attachment = talk.attachments.get()
    assert attachment.title == "Our slides" and attachment.page_count == 2
    assert attachment.processing == Attachment.Processing.DONE  # the extraction task ran
    assert "Clusters and skills, part 2" in attachment.pages.get(number=2).text
    assert attachment.thumbnail.name.endswith(".png")
    assert talk.summary.text == "Clusters **share** skills." and talk.summary.materials_published_at is None
    assert talk.takeaways.count() == 2


def test_an_srt_in_latin_1_is_stored_right(admin_client, full_talk, media_root):
    srt = "1\n00:00:01,000 --> 00:00:02,000\nLa stratégie européenne\n".encode("latin-1")
    data = screen_data(recording={"transcript_file": upload("talk.srt", srt)})

    assert admin_client.post(change_url(full_talk()), data).status_code == 302
    assert TranscriptCue.objects.get().text == "La stratégie européenne"


EXE = b"MZ\x90\x00" + b"\x00" * 300


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"attachment": {"file": upload("slides.pdf", pdf_bytes()[:300])}}, "This PDF is damaged"),
        ({"attachment": {"file": upload("slides.pdf", EXE)}}, "its content is a Windows program"),
        ({"recording": {"transcript_file": upload("talk.vtt", b"WEBVTT\n\nblah\nblah blah\n")}}, "No timed lines"),
        ({"recording": {"transcript_file": upload("talk.vtt", b"\x00\x9f\x92\x96garbage")}}, "not a text file"),
        ({"recording": {"url": "javascript:alert(document.cookie)"}}, "Enter a valid URL|starts with https://"),
        ({"recording": {"url": "data:text/html,<script>alert(1)</script>"}}, "Enter a valid URL|starts with https://"),
        ({"recording": {"url": ""}}, "Give the address of the video or upload the video file"),
        ({"recording": {"video": upload("talk.mp4", b"<script>alert(1)</script>")}}, "not an MP4 or WebM video"),
    ],
    ids=["corrupt-pdf", "exe-as-pdf", "garbage-vtt", "binary-vtt", "javascript-url", "data-url", "no-video",
         "fake-mp4"],
)
def test_a_bad_upload_is_refused_and_nothing_is_saved(admin_client, full_talk, media_root, change, message):
    import re

    response = admin_client.post(change_url(full_talk()), screen_data(**change))

    assert response.status_code == 200
    assert re.search(message, response.content.decode()), message
    assert nothing_saved()


def test_a_pdf_over_the_limit_is_refused_while_it_streams(admin_client, full_talk, media_root, settings):
    settings.MATERIALS_MAX_PDF_BYTES = 1000
    talk = full_talk()

    response = admin_client.post(change_url(talk), screen_data(), follow=True)

    assert "Nothing was saved: the upload is too large" in response.content.decode()
    assert nothing_saved()


def test_a_10_gb_request_is_refused_before_its_body_is_read(admin_client, full_talk):
    talk = full_talk()
    # The body is small, but announced as 10 GB (past what is read away): reading past the real body would fail the test
    # ("Cannot read more than the available bytes"), so passing shows nothing was read.
    response = admin_client.post(change_url(talk), screen_data(), CONTENT_LENGTH=str(10 * 1024**3))

    assert response.status_code == 413 and response["Connection"] == "close"
    assert "Nothing was saved: the upload is too large" in response.content.decode()
    assert nothing_saved()


def test_a_streamed_2_gb_file_is_cut_off_at_the_limit(rf, settings):
    settings.MATERIALS_MAX_PDF_BYTES = 10 * 1024 * 1024
    handler = SizeLimitUploadHandler(rf.post("/"))
    handler.new_file("attachments-0-file", "huge.pdf", "application/pdf", None)
    chunk, read = b"\x00" * handler.chunk_size, 0

    with pytest.raises(StopUpload):
        for _ in range(2 * 1024**3 // len(chunk)):  # 2 GB, one 64 KB chunk at a time
            handler.receive_data_chunk(chunk, read)
            read += len(chunk)

    assert read <= settings.MATERIALS_MAX_PDF_BYTES  # stopped at the limit, not after 2 GB


def test_the_screen_still_checks_csrf(organiser, full_talk):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    assert client.post(change_url(full_talk()), screen_data()).status_code == 403
    assert nothing_saved()


def test_a_talk_cannot_be_deleted_from_this_screen(admin_client, full_talk):
    talk = full_talk()

    response = admin_client.post(reverse("admin:materials_talkmaterials_delete", args=[talk.pk]), {"post": "yes"})

    assert response.status_code == 403 and Talk.objects.filter(pk=talk.pk).exists()


# --- Publishing ----------------------------------------------------------------------------------


@pytest.fixture
def published_events():
    received = []

    def receiver(sender, talk, **kwargs):
        received.append(talk.pk)

    events.materials_published.connect(receiver)
    yield received
    events.materials_published.disconnect(receiver)


def publish(admin_client, *talks):
    return admin_client.post(
        reverse("admin:materials_talkmaterials_changelist"),
        {"action": "publish_materials", "_selected_action": [t.pk for t in talks]},
        follow=True,
    )


def test_publish_materials_fires_the_event_once(admin_client, full_talk, published_events,
                                                django_capture_on_commit_callbacks):
    talk = full_talk()

    with django_capture_on_commit_callbacks(execute=True):
        first = publish(admin_client, talk)
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(admin_client, talk)

    assert published_events == [talk.pk]
    assert TalkSummary.objects.get(talk=talk).materials_published_at is not None
    assert "Materials of 1 talk published." in first.content.decode()
    assert "already published" in second.content.decode()


def test_materials_of_a_draft_are_not_published(admin_client, full_talk, published_events,
                                                django_capture_on_commit_callbacks):
    draft = full_talk(status=Talk.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        response = publish(admin_client, draft)

    assert published_events == []
    assert "is a draft: publish the talk first" in response.content.decode()
    assert not TalkSummary.objects.filter(materials_published_at__isnull=False).exists()


def test_save_and_publish_in_one_click(admin_client, full_talk, media_root, published_events,
                                       django_capture_on_commit_callbacks):
    talk = full_talk()

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(change_url(talk), {**screen_data(), "_publish_materials": "1"})

    assert response.status_code == 302
    assert published_events == [talk.pk]
    assert talk.recordings.exists()



def test_talks_are_not_added_from_this_screen(admin_client):
    assert admin_client.get(reverse("admin:materials_talkmaterials_add")).status_code == 403
