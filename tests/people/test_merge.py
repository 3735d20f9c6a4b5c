"""Merging duplicate people moves every row that points at them and keeps the search index right."""

import pytest

from clustertalks.materials.models import Attachment, Takeaway
from clustertalks.people.models import Participation, Person
from clustertalks.people.services import merge_people
from clustertalks.search.models import SearchDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _index_at_once(settings):
    settings.SEARCH_INDEX_AFTER_COMMIT = False  # the test transaction never commits


def test_merge_moves_takeaways_and_slide_attributions(make_person, make_talk):
    keep, duplicate = make_person("Ana Lopez"), make_person("Ana López")
    talk = make_talk()
    Participation.objects.create(person=duplicate, talk=talk)
    takeaway = Takeaway.objects.create(talk=talk, kind="solution", text="Share the labs", person=duplicate)
    slides = Attachment.objects.create(talk=talk, title="Deck", file="attachments/deck.pdf", speaker=duplicate)

    merge_people(keep, [duplicate])

    takeaway.refresh_from_db()
    slides.refresh_from_db()
    assert takeaway.person == keep
    assert slides.speaker == keep


def test_every_relation_to_person_is_moved(make_person, make_talk):
    """A relation added to Person later is moved too: the merge reads them from the model."""
    keep, duplicate = make_person("Keep"), make_person("Duplicate")
    talk = make_talk()
    Participation.objects.create(person=duplicate, talk=talk)
    Takeaway.objects.create(talk=talk, kind="solution", text="x", person=duplicate)
    Attachment.objects.create(talk=talk, title="Deck", file="attachments/deck.pdf", speaker=duplicate)
    duplicate.honours.create(title="Champion")
    duplicate.links.create(label="Site", url="https://example.org")
    relations = [r for r in Person._meta.related_objects if not r.many_to_many]

    merge_people(keep, [duplicate])

    for relation in relations:
        model, name = relation.related_model, relation.field.name
        if model.__name__ == "SearchDocument":
            continue
        assert not model._base_manager.filter(**{f"{name}_id": duplicate.pk}).exists(), model
        assert model._base_manager.filter(**{name: keep}).exists(), f"{model.__name__} did not move"


def test_merge_updates_the_search_index(make_person, make_talk):
    keep, duplicate = make_person("Ana Lopez"), make_person("Ana Duplicata")
    talk = make_talk("Cluster labs")
    Participation.objects.create(person=duplicate, talk=talk)
    assert SearchDocument.objects.filter(kind="person", object_id=duplicate.pk).exists()

    merge_people(keep, [duplicate])

    assert not SearchDocument.objects.filter(kind="person", object_id=duplicate.pk).exists()
    assert SearchDocument.objects.filter(kind="person", object_id=keep.pk).exists()
    talk_document = SearchDocument.objects.get(kind="talk", object_id=talk.pk)
    assert "Ana Lopez" in talk_document.body
    assert "Duplicata" not in talk_document.body


def test_merge_keeps_the_photo_the_keeper_took_over(
    make_person, tmp_path, settings, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    keep, duplicate = make_person("Keep"), make_person("Duplicate")
    duplicate.photo.save("face.png", ContentFile(b"\x89PNG fake"), save=True)
    stored = duplicate.photo.path

    with django_capture_on_commit_callbacks(execute=True):  # uploads are deleted after commit
        merge_people(keep, [duplicate])

    keep.refresh_from_db()
    assert keep.photo.path == stored
    assert keep.photo.storage.exists(keep.photo.name)
