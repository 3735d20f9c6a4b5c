"""Demo portraits: drawn locally for some sample speakers only, acceptable as uploads, idempotent."""

from django.core.files.uploadedfile import SimpleUploadedFile

from clustertalks.people import photos
from clustertalks.people.demo import load_photo_demo, portrait
from clustertalks.people.models import Person


def test_portraits_pass_the_upload_checks_and_are_stable():
    data = portrait("Anna Kovács")
    photos.check_photo(SimpleUploadedFile("a.jpg", data, content_type="image/jpeg"))
    assert data == portrait("Anna Kovács") != portrait("Jan Novák")


def test_some_sample_speakers_get_a_portrait_real_ones_never(settings, tmp_path, make_person, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    samples = [make_person(f"Sample Person {n}", is_sample=True) for n in range(30)]
    real = [make_person(f"Real Person {n}") for n in range(10)]
    with django_capture_on_commit_callbacks(execute=True):
        given = load_photo_demo()
    assert 3 <= given <= 20
    assert not Person.objects.filter(pk__in=[p.pk for p in real]).exclude(photo="").exists()
    pictured = Person.objects.filter(pk__in=[p.pk for p in samples]).exclude(photo="")
    assert pictured.count() == given
    assert all(person.has_photo for person in pictured)  # the worker made the renditions
    assert load_photo_demo() == 0  # a second run adds nothing


def test_demo_topics_get_a_description_but_an_organisers_text_is_kept(db):
    from clustertalks.talks.demo import SKILLS, TOPIC_DESCRIPTIONS, describe_demo_topics
    from clustertalks.talks.models import Topic

    Topic.objects.create(name=SKILLS)
    Topic.objects.create(name="Technologies", description="Our own words.")
    assert describe_demo_topics() == 1
    assert Topic.objects.get(name=SKILLS).description == TOPIC_DESCRIPTIONS[SKILLS]
    assert Topic.objects.get(name="Technologies").description == "Our own words."
    assert describe_demo_topics() == 0
