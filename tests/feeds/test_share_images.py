"""Generated share images (1200×630) and newsletter banners (1600×600), and organisers' own."""

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from clustertalks.feeds import images
from clustertalks.feeds.models import ShareImage
from clustertalks.people.models import Participation
from clustertalks.talks.models import Series, Talk

from ..conftest import utc

SIZES = {"share_png": (1200, 630), "banner_png": (1600, 600)}


def fetch_png(client, talk, name="share_png", **headers):
    response = client.get(reverse(f"feeds:{name}", args=[talk.slug]), headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    return response


def open_png(response) -> Image.Image:
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    return picture


def png_bytes(size=(800, 800), colour="red", fmt="PNG") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format=fmt)
    return output.getvalue()


@pytest.mark.parametrize("name", ["share_png", "banner_png"])
def test_images_have_the_sizes_social_sites_and_newsletters_need(client, full_talk, name):
    talk = full_talk(start=utc(2026, 12, 2, 7, 30))
    assert open_png(fetch_png(client, talk, name)).size == SIZES[name]
    assert ShareImage.objects.get(talk=talk, kind=name.removesuffix("_png")).image


def test_the_image_is_painted_in_the_series_colour(client, make_talk):
    series = Series.objects.create(name="Green series", colour="#1b7f3a")
    picture = open_png(fetch_png(client, make_talk(series=series)))
    assert picture.convert("RGB").getpixel((600, 5)) == (0x1B, 0x7F, 0x3A)


def test_a_bad_series_colour_falls_back_to_the_default(client, make_talk):
    series = Series.objects.create(name="Odd", colour="red;}")
    picture = open_png(fetch_png(client, make_talk(series=series)))
    assert picture.convert("RGB").getpixel((600, 5)) == images.rgb(images.DEFAULT_COLOUR)


def test_card_shows_local_date_time_zone_and_speakers(make_talk, make_person):
    talk = make_talk("Winter talk", start=utc(2026, 12, 2, 7, 30))
    for name in ["Anna", "Marco", "Lucía", "Jan", "Sam", "Eva"]:
        Participation.objects.create(talk=talk, person=make_person(name))
    card = images.card_for(Talk.objects.get(pk=talk.pk))
    assert card.date == "Wednesday 2 December 2026"
    assert card.time == "08:30–09:30 CET"
    assert card.speakers == ("Anna", "Marco", "Lucía", "Jan", "Sam", "Eva")
    assert images.speaker_line(card.speakers) == "With Anna, Marco, Lucía, Jan and 2 more"
    narrow = images.fitting_speaker_line(card.speakers, images.font(30), 400)
    assert narrow.endswith("more") and images.font(30).getlength(narrow) <= 400
    summer = images.card_for(make_talk(start=utc(2026, 6, 3, 6, 30)))
    assert summer.time == "08:30–09:30 CEST"


def test_the_image_is_drawn_once_then_served_from_storage(client, make_talk):
    talk = make_talk()
    first = fetch_png(client, talk)
    with mock.patch.object(images, "draw", wraps=images.draw) as draw:
        second = fetch_png(client, talk)
    assert draw.call_count == 0
    assert second.content == first.content
    assert client.get(reverse("feeds:share_png", args=[talk.slug]),
                      headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_the_image_is_drawn_again_when_the_talk_changes(client, make_talk):
    talk = make_talk("Old title")
    before = fetch_png(client, talk)
    old_file = ShareImage.objects.get(talk=talk).image.name
    talk.title = "New title"
    talk.save()
    after = fetch_png(client, talk)
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    stored = ShareImage.objects.get(talk=talk)
    assert stored.image.name != old_file
    assert not stored.image.storage.exists(old_file)  # the old drawing is removed


def test_the_image_is_drawn_again_when_the_series_colour_changes(client, make_talk, series):
    talk = make_talk()
    before = fetch_png(client, talk)
    series.colour = "#aa0000"
    series.save()
    assert fetch_png(client, talk).content != before.content


@pytest.mark.parametrize(
    "title",
    [
        "W" * 250,
        "Supercalifragilisticexpialidocious" * 7,
        "<script>alert(1)</script> ' OR 1=1; -- \x07",
        "Ελληνικά и кириллица, עברית, 中文, emoji 🎤🚀",
        "",
    ],
)
def test_hostile_or_huge_titles_still_give_a_proper_image(client, make_talk, title):
    talk = make_talk(title or "x")
    Talk.objects.filter(pk=talk.pk).update(title=title)
    talk.refresh_from_db()
    assert open_png(fetch_png(client, talk)).size == (1200, 630)


def test_wrap_never_overflows_and_ends_with_an_ellipsis():
    face = images.font(60, bold=True)
    lines = images.wrap("word " * 200, face, 1000, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(face.getlength(line) <= 1000 for line in lines)


def test_a_draft_image_is_for_organisers_only(admin_client, make_talk):
    talk = make_talk(status=Talk.Status.DRAFT)
    url = reverse("feeds:share_png", args=[talk.slug])
    visitor = Client()
    assert visitor.get(url).status_code == 404
    assert admin_client.get(url).status_code == 200
    assert visitor.get(reverse("feeds:banner_png", args=["no-such-talk"])).status_code == 404


def upload_form(talk, content, name="mine.png", kind="share"):
    return {"talk": talk.pk, "kind": kind, "upload": SimpleUploadedFile(name, content)}


def test_organiser_upload_replaces_the_drawing_and_survives_changes(admin_client, client, make_talk):
    talk = make_talk()
    fetch_png(client, talk)  # the drawn one exists first
    response = admin_client.post(reverse("admin:feeds_shareimage_add"),
                                 upload_form(talk, png_bytes((2000, 1500), "purple")))
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = ShareImage.objects.get(talk=talk, kind="share")
    assert stored.uploaded_by_organiser

    talk.title = "A changed title"
    talk.save()
    picture = open_png(fetch_png(client, talk)).convert("RGB")
    assert picture.size == (1200, 630)  # cropped to fill
    assert picture.getpixel((600, 315)) == (128, 0, 128)
    assert ShareImage.objects.filter(talk=talk).count() == 1


def test_banner_upload_is_cropped_to_the_banner_size(admin_client, client, make_talk):
    talk = make_talk()
    admin_client.post(reverse("admin:feeds_shareimage_add"),
                      upload_form(talk, png_bytes((300, 300), fmt="JPEG"), "x.jpg", kind="banner"))
    assert open_png(fetch_png(client, talk, "banner_png")).size == (1600, 600)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an image at all", "not an image"),
        (b"GIF89a" + b"\x00" * 50, "not an image"),
        (b"%PDF-1.4 pretend", "not an image"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_nothing_saved(admin_client, make_talk, content, message):
    talk = make_talk()
    response = admin_client.post(reverse("admin:feeds_shareimage_add"), upload_form(talk, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ShareImage.objects.exists()


def test_oversized_and_giant_pixel_uploads_are_refused(admin_client, make_talk, monkeypatch):
    talk = make_talk()
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    response = admin_client.post(reverse("admin:feeds_shareimage_add"), upload_form(talk, png_bytes()))
    assert "larger than 10 MB" in response.content.decode()
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    monkeypatch.setattr(images, "MAX_UPLOAD_PIXELS", 100)
    response = admin_client.post(reverse("admin:feeds_shareimage_add"), upload_form(talk, png_bytes()))
    assert "too many pixels" in response.content.decode()
    assert not ShareImage.objects.exists()


def test_missing_upload_is_a_form_error(admin_client, make_talk):
    talk = make_talk()
    response = admin_client.post(reverse("admin:feeds_shareimage_add"), {"talk": talk.pk, "kind": "share"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not ShareImage.objects.exists()


def test_deleting_the_upload_brings_back_the_drawing(admin_client, client, make_talk):
    talk = make_talk()
    admin_client.post(reverse("admin:feeds_shareimage_add"), upload_form(talk, png_bytes(colour="purple")))
    ShareImage.objects.filter(talk=talk).delete()
    picture = open_png(fetch_png(client, talk)).convert("RGB")
    assert picture.getpixel((600, 5)) == images.rgb(talk.series.colour)
