"""Faces in a real browser: a speaker's photo loads through the access-checked media view in its
small versions (the browser picks from the srcset), initials stand in for the others, the talk
page shows its share image, and the pages still pass axe."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from .conftest import describe_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def pictured_site(site, settings, tmp_path):
    from clustertalks.people.models import Person
    from clustertalks.people.tasks import make_photo_renditions

    settings.MEDIA_ROOT = tmp_path
    anna = Person.objects.get(name="Anna Kovács")
    data = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(data, format="JPEG")
    anna.photo_alt = "Anna Kovács at the 2023 cluster conference"
    anna.photo.save("anna.jpg", ContentFile(data.getvalue()))
    assert make_photo_renditions.call(anna.pk, anna.photo.name) == "done"
    return site


def loaded_images(page, selector):
    page.wait_for_load_state("load")
    return page.eval_on_selector_all(
        selector, "els => els.map(e => ({src: e.currentSrc, w: e.naturalWidth, alt: e.alt, lazy: e.loading}))"
    )


@pytest.mark.parametrize("name", ["person", "talk_upcoming", "people"])
def test_photos_load_initials_stand_in_and_axe_passes(new_page, pictured_site, name):
    page = new_page()
    page.goto(pictured_site[name])
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images come in
    page.wait_for_timeout(300)
    photos = loaded_images(page, "img.avatar")
    assert photos, "no photo on the page"
    # naturalWidth is in CSS px for a srcset image: loaded when above 0
    assert all(photo["w"] > 0 and "/media/people/renditions/" in photo["src"] for photo in photos), photos
    assert page.locator("span.avatar--initials[aria-hidden=true]").count() >= (0 if name == "person" else 1)
    violations = run_axe(page)
    assert not violations, describe_violations(violations)


def test_the_talk_page_shows_its_share_image(new_page, pictured_site):
    page = new_page()
    page.goto(pictured_site["talk_upcoming"])
    page.locator(".share-picture").scroll_into_view_if_needed()
    picture = {"w": 0}
    for _ in range(50):  # drawn on its first request: wait for it (no eval under the CSP)
        picture = loaded_images(page, "img.talk__picture")[0]
        if picture["w"]:
            break
        page.wait_for_timeout(100)
    assert picture["w"] == 1200
    assert "Skills for the twin transition" in picture["alt"]
