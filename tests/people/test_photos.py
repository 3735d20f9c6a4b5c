"""Speaker photos: checked on upload (content, size, dimensions), made into small WebP squares by
the worker, shown with srcset only once those exist (initials before), served with the access
check, and free of extra queries on every page."""

import io
import struct
import zlib

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from clustertalks.core import pagecache
from clustertalks.people import photos
from clustertalks.people.models import Participation, Person
from clustertalks.people.tasks import make_photo_renditions
from clustertalks.talks.models import Talk


def image_bytes(size=(600, 400), fmt="JPEG", colour=(200, 30, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format=fmt)
    return output.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels: a decompression bomb's header, tiny on disk."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def public_speaker(make_person, make_talk):
    def make(name=None, **fields):
        person = make_person(name, **fields)
        Participation.objects.create(person=person, talk=make_talk())
        return person

    return make


# --- What an upload must be ----------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_photos_are_accepted(fmt):
    photos.check_photo(upload(image_bytes(fmt=fmt)))


@pytest.mark.parametrize(
    "data, message",
    [
        (image_bytes(fmt="GIF"), "JPEG, PNG or WebP"),
        (b"<?php echo 'hello'; ?>", "not a photo that can be read"),
        (b"", "not a photo that can be read"),
        (image_bytes()[:300], "not a photo that can be read"),  # truncated JPEG
        (image_bytes(size=(150, 600)), "at least 200 px"),
        (image_bytes(size=(8001, 200), fmt="PNG"), "at most 8000 px"),
        (png_header_only(7_000, 6_500), "40 megapixels"),  # a decompression bomb under Pillow's limit
        (png_header_only(100_000, 100_000), "not a photo that can be read"),  # Pillow's own refusal
    ],
)
def test_bad_photos_are_refused_with_a_sentence(data, message):
    with pytest.raises(photos.PhotoError, match=message):
        photos.check_photo(upload(data))


def test_a_photo_over_10_mb_is_refused_before_it_is_read():
    big = upload(image_bytes())
    big.size = 10 * 1024 * 1024 + 1
    with pytest.raises(photos.PhotoError, match="larger than 10 MB"):
        photos.check_photo(big)


def person_form(photo=None, **fields):
    data = {
        "name": "Søren Andersen", "sort_name": "", "current_position": "", "current_organisation": "",
        "slug": "", "bio": "", "photo_alt": "Søren on stage", "gender": "",
        "honours-TOTAL_FORMS": "0", "honours-INITIAL_FORMS": "0",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0", **fields,
    }
    if photo is not None:
        data["photo"] = photo
    return data


@pytest.mark.parametrize(
    "photo, message",
    [
        (upload(b"not an image at all", name="me.jpg"), "Upload a valid image"),  # Django's own check
        (upload(image_bytes(size=(100, 100))), "at least 200 px"),
        (upload(image_bytes(fmt="GIF"), name="me.gif", content_type="image/gif"), "JPEG, PNG or WebP"),
        (upload(png_header_only(7_000, 6_500), name="bomb.png"), "40 megapixels"),
        (upload(png_header_only(30_000, 30_000), name="bomb.png"), "Upload a valid image"),
    ],
)
def test_the_back_office_refuses_a_bad_photo_with_a_form_error_and_keeps_nothing(admin_client, media_root, photo, message):
    response = admin_client.post(reverse("admin:people_person_add"), person_form(photo))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()
    assert not list(media_root.rglob("*.*")) if media_root.exists() else True


def test_a_good_photo_is_saved_and_the_worker_makes_its_renditions(admin_client, media_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:people_person_add"), person_form(upload(image_bytes(size=(900, 600))))
        )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.slug == "soren-andersen"
    assert person.has_photo
    for size in (96, 192, 400):
        with getattr(person, f"photo_{size}").open("rb") as handle, Image.open(handle) as rendition:
            assert rendition.format == "WEBP" and rendition.size == (size, size)


# --- The worker --------------------------------------------------------------------------

def test_renditions_are_square_crops_of_the_centre():
    data = image_bytes(size=(900, 300), fmt="PNG", colour=(0, 0, 255))
    made = photos.renditions(data, (96, 400))
    with Image.open(io.BytesIO(made[400])) as picture:
        assert picture.size == (400, 400)
        red, green, blue = picture.convert("RGB").getpixel((200, 200))
        assert blue > 200 and red < 40


def test_a_new_photo_drops_the_old_renditions_until_the_worker_made_new_ones(media_root, make_person, django_capture_on_commit_callbacks):
    person = make_person()
    person.photo.save("first.jpg", ContentFile(image_bytes()))
    assert make_photo_renditions.call(person.pk, person.photo.name) == "done"
    person.refresh_from_db()
    old = person.photo_96.name
    assert person.has_photo and (media_root / old).exists()

    with django_capture_on_commit_callbacks() as callbacks:
        person.photo.save("second.jpg", ContentFile(image_bytes(colour=(0, 200, 0))))
    person.refresh_from_db()
    assert not person.has_photo  # initials meanwhile
    for callback in callbacks:  # the commit: django-cleanup, then the worker's task
        callback()
    assert not (media_root / old).exists()  # django-cleanup removed the old rendition
    person.refresh_from_db()
    assert person.has_photo and person.photo_96.name != old


def test_a_task_for_a_replaced_photo_does_nothing(media_root, make_person):
    person = make_person()
    person.photo.save("first.jpg", ContentFile(image_bytes()))
    first = person.photo.name
    person.photo.save("second.jpg", ContentFile(image_bytes()))
    assert make_photo_renditions.call(person.pk, first) == "stale"
    assert make_photo_renditions.call(987654, first) == "stale"
    person.refresh_from_db()
    assert not person.photo_96


def test_an_unreadable_stored_photo_fails_quietly_and_keeps_the_initials(media_root, make_person):
    person = make_person()
    person.photo.save("broken.jpg", ContentFile(b"garbage"))
    assert make_photo_renditions.call(person.pk, person.photo.name) == "failed"
    person.refresh_from_db()
    assert not person.has_photo


# --- Pages -------------------------------------------------------------------------------

def with_renditions(person: Person, stem="x") -> Person:
    """Rendition names on the row (pages only need the names, not the files)."""
    Person.objects.filter(pk=person.pk).update(
        photo=f"people/{stem}.jpg",
        **{f"photo_{size}": f"people/renditions/{stem}-{size}.webp" for size in (96, 192, 400)},
    )
    person.refresh_from_db()
    caches["pages"].clear()  # a raw update in a test's transaction: the page cache cannot know
    return person


def test_pages_show_initials_until_the_renditions_exist_then_a_lazy_srcset(client, public_speaker):
    person = public_speaker("Élodie Vanderberghe")
    Person.objects.filter(pk=person.pk).update(photo="people/waiting.jpg")  # uploaded, not resized yet
    html = client.get(person.get_absolute_url()).content.decode()
    assert 'aria-hidden="true">ÉV</span>' in html
    assert "waiting.jpg" not in html

    with_renditions(person, "elodie")
    html = client.get(person.get_absolute_url()).content.decode()
    assert 'srcset="/media/people/renditions/elodie-96.webp 96w, /media/people/renditions/elodie-192.webp 192w, /media/people/renditions/elodie-400.webp 400w"' in html
    assert 'width="160" height="160"' in html
    assert 'alt="Élodie Vanderberghe"' in html  # the person page's photo is described
    assert '<meta property="og:image" content="http' in html and "elodie-400.webp" in html
    listing = client.get(reverse("people:people")).content.decode()
    assert 'loading="lazy"' in listing and 'alt=""' in listing  # beside the name: decorative


def test_photo_and_renditions_are_served_only_for_public_speakers(client, media_root, make_person, make_talk, organiser):
    person = make_person()
    talk = make_talk(status=Talk.Status.DRAFT)
    Participation.objects.create(person=person, talk=talk)
    person.photo.save("p.jpg", ContentFile(image_bytes()))
    make_photo_renditions.call(person.pk, person.photo.name)
    person.refresh_from_db()
    url = person.photo_192.url
    assert client.get(url).status_code == 404  # only in a draft
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.PUBLISHED)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"


def speakers_on_one_talk(make_person, make_talk, count, photo):
    talk = make_talk()
    for number in range(count):
        person = make_person(f"Speaker {number} Of {talk.pk}")
        if photo:
            with_renditions(person, f"p{person.pk}")
        Participation.objects.create(person=person, talk=talk, order=number)
    return talk


@pytest.mark.parametrize("page", ["people:people", "talks:archive", "talk"])
def test_fifty_speaker_photos_cost_no_query_more_than_none(client, make_person, make_talk, count_queries, django_assert_num_queries, page):
    def address(talk):
        return talk.get_absolute_url() if page == "talk" else reverse(page)

    plain = speakers_on_one_talk(make_person, make_talk, 50, photo=False)
    caches["pages"].clear()
    without_photos = count_queries(client.get, address(plain))
    assert without_photos > 0  # rendered, not answered from the page cache
    Talk.objects.filter(pk=plain.pk).delete()
    Person.objects.all().delete()

    pictured = speakers_on_one_talk(make_person, make_talk, 50, photo=True)
    caches["pages"].clear()
    pagecache.prime()
    with django_assert_num_queries(without_photos):
        html = client.get(address(pictured)).content.decode()
    assert html.count("-96.webp 96w") >= {"people:people": 48, "talks:archive": 4, "talk": 50}[page]


def test_a_photo_over_10_mb_sent_to_the_back_office_is_refused(admin_client, media_root):
    padded = image_bytes() + b"\0" * (10 * 1024 * 1024)  # a JPEG that opens, then padding
    response = admin_client.post(reverse("admin:people_person_add"), person_form(upload(padded)))
    assert response.status_code == 200
    assert "larger than 10 MB" in response.content.decode()
    assert not Person.objects.exists()


def test_a_hostile_file_name_stays_inside_the_photo_folder(admin_client, media_root):
    response = admin_client.post(
        reverse("admin:people_person_add"), person_form(upload(image_bytes(), name="../../../etc/evil.jpg"))
    )
    assert response.status_code == 302
    name = Person.objects.get().photo.name
    assert name.startswith("people/") and ".." not in name
    assert (media_root / name).resolve().is_relative_to(media_root.resolve())


def test_the_back_office_says_what_visitors_see(admin_client, media_root, make_person):
    person = make_person()
    change = reverse("admin:people_person_change", args=[person.pk])
    assert "Initials (no photo)." in admin_client.get(change).content.decode()
    Person.objects.filter(pk=person.pk).update(photo="people/waiting.jpg")
    assert "until the worker has made" in admin_client.get(change).content.decode()
    with_renditions(person, "ready")
    assert "The small versions are ready." in admin_client.get(change).content.decode()


def test_removing_the_photo_removes_its_renditions(media_root, make_person, django_capture_on_commit_callbacks):
    person = make_person()
    person.photo.save("p.jpg", ContentFile(image_bytes()))
    make_photo_renditions.call(person.pk, person.photo.name)
    person.refresh_from_db()
    rendition = media_root / person.photo_400.name
    assert rendition.exists()
    with django_capture_on_commit_callbacks(execute=True):
        person.photo = ""
        person.save()
    person.refresh_from_db()
    assert not person.photo_400 and not rendition.exists()


def test_the_migration_fills_the_sort_key_of_existing_people(make_person):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("clustertalks.people.migrations.0004_photo_renditions_and_sort_key")
    person = make_person("Élodie Vanderberghe")
    Person.objects.filter(pk=person.pk).update(sort_key="")
    migration.fill_sort_keys(apps, None)
    person.refresh_from_db()
    assert person.sort_key == "vanderberghe, elodie"


def test_merging_keeps_the_duplicates_photo_and_remakes_its_renditions(media_root, make_person, django_capture_on_commit_callbacks):
    from clustertalks.people.services import merge_people

    keep, duplicate = make_person("Søren Andersen"), make_person("Soren Andersen")
    duplicate.photo.save("p.jpg", ContentFile(image_bytes()))
    make_photo_renditions.call(duplicate.pk, duplicate.photo.name)
    duplicate.refresh_from_db()
    photo = duplicate.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        merge_people(keep, [duplicate])
    keep.refresh_from_db()
    assert keep.photo.name == photo and (media_root / photo).exists()
    assert keep.has_photo and (media_root / keep.photo_96.name).exists()


def test_the_api_gives_the_small_versions_once_they_exist(client, public_speaker):
    person = public_speaker("Ana Gómez")
    url = f"/api/v1/people/{person.slug}"
    assert client.get(url).json()["photo_sizes"] == {}
    with_renditions(person, "ana")
    sizes = client.get(url).json()["photo_sizes"]
    assert set(sizes) == {"96", "192", "400"}
    assert sizes["192"].endswith("/media/people/renditions/ana-192.webp")
