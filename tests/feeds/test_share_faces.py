"""Share images show the speakers' faces and fill the whole width (no white band on the left);
the talk page shows its share image with the facts it draws as alt text."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from clustertalks.feeds import images
from clustertalks.people.models import Participation
from clustertalks.people.naming import AVATAR_COLOURS
from clustertalks.people.tasks import make_photo_renditions
from clustertalks.talks.models import Series

from ..conftest import utc


def drawn(client, talk, name="share_png") -> Image.Image:
    response = client.get(reverse(f"feeds:{name}", args=[talk.slug]))
    assert response.status_code == 200
    return Image.open(io.BytesIO(response.content)).convert("RGB")


@pytest.mark.parametrize("name", ["share_png", "banner_png"])
@pytest.mark.parametrize("colour", ["#004494", "#f5d90a"])  # dark and light series colours
def test_the_left_edge_is_the_series_colour_not_a_white_band(client, make_talk, make_person, name, colour):
    series = Series.objects.create(name=f"Series {colour}", colour=colour)
    talk = make_talk(series=series)
    Participation.objects.create(person=make_person("Ana Gómez"), talk=talk)
    picture = drawn(client, talk, name)
    background = images.rgb(colour)
    for x in range(0, 30):
        for y in range(0, picture.height, 15):
            assert picture.getpixel((x, y)) == background, (x, y)


def test_speakers_without_photos_get_their_initials_on_their_colour(client, make_talk, make_person):
    talk = make_talk(series=Series.objects.create(name="S", colour="#004494"))
    person = make_person("Søren Andersen")
    Participation.objects.create(person=person, talk=talk)
    picture = drawn(client, talk)
    right, top = 1200 - 72, 630 - 72 - 3 * 44 + images.FACES_BELOW_DATE
    near_edge_of_circle = (right - images.FACE_SIZE + 10, top + images.FACE_SIZE // 2)
    assert picture.getpixel(near_edge_of_circle) == images.rgb(AVATAR_COLOURS[person.avatar_colour])


def test_a_speakers_photo_is_drawn_and_a_new_photo_redraws_the_image(client, settings, tmp_path, make_talk, make_person):
    settings.MEDIA_ROOT = tmp_path
    talk = make_talk(series=Series.objects.create(name="S", colour="#004494"))
    person = make_person("Søren Andersen")
    Participation.objects.create(person=person, talk=talk)
    before = client.get(reverse("talks:talk", args=[talk.slug])).content.decode()

    data = io.BytesIO()
    Image.new("RGB", (400, 400), (0, 200, 0)).save(data, format="JPEG")
    person.photo.save("green.jpg", ContentFile(data.getvalue()))
    make_photo_renditions.call(person.pk, person.photo.name)
    from django.core.cache import caches

    caches["pages"].clear()
    picture = drawn(client, talk)
    centre = (1200 - 72 - images.FACE_SIZE // 2, 630 - 72 - 3 * 44 + images.FACES_BELOW_DATE + images.FACE_SIZE // 2)
    red, green, blue = picture.getpixel(centre)
    assert green > 170 and red < 40 and blue < 40
    after = client.get(reverse("talks:talk", args=[talk.slug])).content.decode()
    version = lambda html: html.split("share.png?v=")[1][:12]  # noqa: E731
    assert version(before) != version(after)  # a new address: social sites fetch it again


def test_the_date_and_time_are_never_cut_short_by_the_faces(make_talk, make_person):
    talk = make_talk(start=utc(2026, 12, 9, 7, 30))
    for n in range(4):
        Participation.objects.create(person=make_person(f"Speaker Number {n}"), talk=talk, order=n)
    card = images.card_for(talk)
    assert len(card.faces) == 4
    line = f"{card.date} · {card.time}"
    assert images._fit_one_line(line, images.font(34, True), 1200 - 2 * 72) == line


def test_the_talk_page_shows_its_share_image_with_alt_text(client, make_talk, make_person):
    talk = make_talk("Clusters & skills", start=utc(2026, 12, 2, 7, 30))
    Participation.objects.create(person=make_person("Ana Gómez"), talk=talk)
    html = client.get(talk.get_absolute_url()).content.decode()
    img = html[html.index('<img class="talk__picture"'):]
    img = img[: img.index(">") + 1]
    assert f'src="/talks/{talk.slug}/share.png?v=' in img
    assert 'width="1200" height="630"' in img and 'loading="lazy"' in img
    assert "Clusters &amp; skills — Wednesday 2 December 2026, 08:30–09:30 CET — With Ana Gómez" in img
