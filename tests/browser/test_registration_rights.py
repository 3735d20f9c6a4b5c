"""The attendee's own pages in a real Chromium: opened from an email link (no Referer), the
cancel button works (it used to fail with "403 CSRF verification failed": the page's
"Referrer-Policy: no-referrer" made Chromium send "Origin: null"); details, download and erase
work too, and every one of these pages passes axe."""

import json

import pytest
from django.urls import reverse

from .conftest import describe_violations, run_axe

pytestmark = pytest.mark.browser


def signed_up(talk, email="ada@example.org", **fields):
    from clustertalks.registrations import services

    registration, _ = services.register(talk, services.Attendee(
        name="Ada Lovelace", email=email, organisation="Analytical Cluster",
        organisation_type="cluster", country="BE", position="Manager", **fields))
    return registration, services.manage_token(registration)


def assert_accessible(page):
    violations = run_axe(page)
    assert not violations, f"{page.url}\n" + describe_violations(violations)


def test_cancel_from_an_email_link(page, site):
    from clustertalks.registrations.models import Registration

    registration, signed = signed_up(site.talks["upcoming"])
    manage = site.base + reverse("registrations:manage", args=[signed])
    response = page.goto(manage)  # typed or clicked in a mail client: no Referer
    assert response.status == 200
    assert response.headers["referrer-policy"] == "same-origin"
    assert_accessible(page)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Cancel my registration").click()
    assert posted.value.status == 200, posted.value.text()[:500]
    assert posted.value.request.headers.get("origin") == site.base  # not "null"
    page.wait_for_load_state("load")
    assert "Your registration is cancelled" in page.inner_text("main")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert_accessible(page)


def test_update_download_and_erase_by_keyboard(page, site):
    from clustertalks.registrations.models import Registration

    talk = site.talks["upcoming"]
    registration, signed = signed_up(talk)
    page.goto(site.base + reverse("registrations:manage", args=[signed]))

    page.get_by_role("link", name="Update my details").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Ada\u2028www.example.com")
    page.get_by_role("button", name="Save my details").press("Enter")
    page.wait_for_load_state("load")
    assert "Write your name only" in page.inner_text("main") or "single line" in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Ada King")
    page.get_by_label("I do not want to appear in the recording (optional)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save my details").press("Enter")
    assert "Your details are saved." in page.inner_text("main")
    registration.refresh_from_db()
    assert registration.name == "Ada King" and registration.objects_to_recording

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").first.click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["registration"]["name"] == "Ada King"

    page.get_by_role("link", name="Erase my registration").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_label("Yes, erase my registration and its email record").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Erase for good").press("Enter")
    assert "Your registration is erased" in page.inner_text("main")
    assert_accessible(page)
    assert not Registration.objects.filter(pk=registration.pk).exists()


def test_a_stale_form_gets_the_friendly_page(page, site):
    talk = site.talks["upcoming"]
    page.goto(site.base + reverse("registrations:register", args=[talk.slug]))
    page.context.clear_cookies()  # e.g. the cookie expired while the form stayed open
    page.get_by_label("Full name").fill("Ada Lovelace")
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()
    assert "The form could not be sent" in page.inner_text("main")
    assert "reload it" in page.inner_text("main")
    assert_accessible(page)
