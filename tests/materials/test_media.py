"""Uploaded files: unguessable names, gone with their rows, and served only when their row is
public (organisers also get drafts and previews)."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from clustertalks.materials.media import media_is_public
from clustertalks.materials.models import Attachment, Recording
from clustertalks.people.models import Participation
from clustertalks.talks.models import Talk

from .conftest import pdf_bytes

pytestmark = pytest.mark.django_db


def deck(talk, name="slides.pdf") -> Attachment:
    attachment = Attachment(talk=talk, title="Slides", size_bytes=10)
    attachment.file.save(name, ContentFile(pdf_bytes(1)), save=False)
    attachment.save()
    return attachment


def media_url(name: str) -> str:
    return "/media/" + name


def publish_materials(talk):
    from clustertalks.materials.services import publish_materials as publish

    publish(talk)


def test_upload_names_cannot_be_guessed(make_talk, media_root):
    first, second = deck(make_talk()), deck(make_talk())
    for attachment in (first, second):
        name = attachment.file.name
        assert name.startswith("attachments/slides-") and name.endswith(".pdf")
        assert len(name) > len("attachments/slides-.pdf") + 20
    assert first.file.name != second.file.name


def test_slides_of_a_draft_are_for_organisers_only(admin_client, make_talk, media_root):
    attachment = deck(make_talk(status=Talk.Status.DRAFT))
    url = media_url(attachment.file.name)

    assert Client().get(url).status_code == 404
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_slides_are_public_once_the_materials_are(client, make_talk, media_root):
    talk = make_talk()
    attachment = deck(talk)
    url = media_url(attachment.file.name)
    assert client.get(url).status_code == 404  # materials not published yet

    publish_materials(talk)

    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "public" in response["Cache-Control"]
    assert media_is_public(attachment.file.name)


def test_a_deleted_row_takes_its_file_along(
    admin_client, make_talk, media_root, django_capture_on_commit_callbacks
):
    talk = make_talk()
    attachment = deck(talk)
    publish_materials(talk)
    name, storage = attachment.file.name, attachment.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()

    assert not storage.exists(name)
    assert admin_client.get(media_url(name)).status_code == 404


def test_a_file_left_without_a_row_is_never_served(admin_client, make_talk, media_root):
    attachment = deck(make_talk())
    name = attachment.file.name
    Attachment.objects.filter(pk=attachment.pk).delete()  # a bulk delete leaves the file

    assert attachment.file.storage.exists(name)
    assert admin_client.get(media_url(name)).status_code == 404


def test_a_replaced_file_is_deleted(make_talk, media_root, django_capture_on_commit_callbacks):
    attachment = deck(make_talk())
    old_name, storage = attachment.file.name, attachment.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        attachment.file.save("new.pdf", ContentFile(pdf_bytes(2)), save=True)

    assert not storage.exists(old_name)
    assert storage.exists(attachment.file.name)


def test_a_file_replaced_on_a_row_read_afresh_is_deleted(make_talk, media_root, django_capture_on_commit_callbacks):
    """Reading a row remembers nothing (core/cleanup.py: no django-cleanup work per row read);
    saving it reads the stored names first, so the replaced file still goes."""
    from django.db.models.signals import post_init

    created = deck(make_talk())
    old_name, storage = created.file.name, created.file.storage
    assert not post_init.has_listeners(Attachment)
    attachment = Attachment.objects.get(pk=created.pk)

    with django_capture_on_commit_callbacks(execute=True):
        attachment.file.save("new.pdf", ContentFile(pdf_bytes(2)), save=True)

    assert not storage.exists(old_name)
    assert storage.exists(attachment.file.name)


def test_a_recording_poster_follows_its_talk(client, make_talk, media_root):
    talk = make_talk(status=Talk.Status.DRAFT)
    recording = Recording(talk=talk, source=Recording.Source.YOUTUBE, url="https://youtu.be/abcdefghijk")
    recording.poster.save("poster.png", ContentFile(b"\x89PNG"), save=True)
    url = media_url(recording.poster.name)
    publish_materials_after_publishing(talk)
    assert client.get(url).status_code == 200


def publish_materials_after_publishing(talk):
    talk.status = Talk.Status.PUBLISHED
    talk.save()
    publish_materials(talk)


def test_a_speaker_photo_is_public_only_with_a_public_talk(client, make_talk, make_person, media_root):
    person = make_person("Ana")
    person.photo.save("ana.png", ContentFile(b"\x89PNG"), save=True)
    talk = make_talk(status=Talk.Status.DRAFT)
    Participation.objects.create(person=person, talk=talk)
    url = media_url(person.photo.name)
    assert client.get(url).status_code == 404

    talk.status = Talk.Status.PUBLISHED
    talk.save()
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("path", ["../settings.py", "attachments/../../etc/passwd", "", "attachments/"])
def test_odd_paths_are_not_found(admin_client, path, media_root):
    assert Client().get("/media/" + path).status_code == 404
    assert admin_client.get("/media/" + path).status_code == 404
