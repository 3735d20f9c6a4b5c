"""What a screen-reader or keyboard user relies on after a failed submit, and the attendee's own
time zone wherever the registration knows it (issue 11)."""

import re

import pytest
from django.urls import reverse

from clustertalks.registrations import services
from clustertalks.registrations.models import Registration

from .conftest import part
from .helpers import form, in_days

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talk(make_talk):
    return make_talk("Open talk", start=in_days(7), minutes=75, meeting_url="https://zoom.example/j/1")


def register_url(talk):
    return reverse("registrations:register", args=[talk.slug])


def ids_in(html):
    return set(re.findall(r'\bid="([^"]+)"', html))


def described_by(html):
    return [ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()]


def assert_error_page(html, *fields):
    """Every aria-describedby resolves, the title starts with "Error:", the summary is focused
    on load and links to each field in error, which is aria-invalid."""
    missing = [ref for ref in described_by(html) if ref not in ids_in(html)]
    assert not missing, f"aria-describedby points at no element: {missing}"
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Error:"), title
    summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    opening = re.search(r'<div class="error-summary"[^>]*>', html).group(0)
    assert "autofocus" in opening and 'tabindex="-1"' in opening
    for field in fields:
        assert f'href="#id_{field}' in summary.group(1), field
        tag = re.search(rf'<(?:input|select|textarea)[^>]*\bid="id_{field}"[^>]*>', html)
        if tag:  # a group of radio buttons has no element with the field's own id
            assert 'aria-invalid="true"' in tag.group(0), field
            assert f"id_{field}_error" in tag.group(0), field


def test_an_empty_registration_points_at_real_error_elements(client, talk):
    html = client.post(register_url(talk), {}).content.decode()
    assert_error_page(html, "name", "email", "consent")
    assert 'id="id_name_error"' in html


def test_a_valid_page_has_no_error_title_nor_summary(client, talk):
    html = client.get(register_url(talk)).content.decode()
    assert "Error:" not in re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "error-summary" not in html and 'aria-invalid' not in html


@pytest.mark.parametrize("data", [
    {"email": "not-an-address"},
    {"email": "x" * 300 + "@example.org"},
    {"email": "<script>alert(1)</script>"},
    {},
])
def test_the_newsletter_sign_up_shows_an_error_summary(client, data):
    response = client.post(reverse("newsletter:signup"), data)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert_error_page(html, "email")


def sign_up(client, talk, **changes):
    assert client.post(register_url(talk), form(**changes)).status_code == 302
    return Registration.objects.get()


def test_the_details_form_shows_an_error_summary(client, talk, smtp):
    registration = sign_up(client, talk)
    url = reverse("registrations:details", args=[services.manage_token(registration)])
    html = client.post(url, {"name": "", "time_zone": "Mars/Olympus"}).content.decode()
    assert_error_page(html, "name", "time_zone")


def test_the_manage_page_leads_with_updating_the_details(client, talk, smtp):
    registration = sign_up(client, talk)
    html = client.get(reverse("registrations:manage",
                              args=[services.manage_token(registration)])).content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    primary = re.findall(r'class="button"[^>]*>([^<]+)<', main)
    assert primary == ["Update my details"], primary
    cancel = re.search(r'<button class="([^"]+)" type="submit">Cancel my registration', html)
    assert cancel and "button--quiet" in cancel.group(1)
    assert "Your time" in html and ("EST" in html or "EDT" in html)


def test_the_emails_give_start_and_end_with_the_zone(client, talk, smtp):
    sign_up(client, talk)
    [message] = smtp.to("ada@example.org")
    text = part(message, "text/plain").get_content()
    start, end = talk.local_start.strftime("%H:%M"), talk.local_end.strftime("%H:%M")
    assert re.search(rf"{start}–{end} CES?T", text), text
    assert re.search(r"\d\d:\d\d–\d\d:\d\d E[SD]T", text), text  # the attendee's own zone


def test_the_join_page_shows_the_attendees_own_zone(client, talk, smtp):
    registration = sign_up(client, talk)
    html = client.get(services.join_url(registration).replace("http://testserver", "")).content.decode()
    assert "CET" in html or "CEST" in html
    assert "In your time zone:" in html and ("EST" in html or "EDT" in html)


def test_the_registration_deadline_has_a_slot_for_the_visitors_own_time(client, talk):
    html = client.get(register_url(talk)).content.decode()
    assert re.search(r'<span class="visitor-time" data-start="[^"]+" data-zone="Europe/Brussels"', html)


def test_format_span_names_start_end_and_zone(talk):
    assert re.fullmatch(r"\w+ \d+ \w+ \d{4}, \d\d:\d\d–\d\d:\d\d CES?T",
                        services.format_span(talk.start, talk.end, "Europe/Brussels"))


def test_a_failed_sign_in_says_error_in_the_title_and_focuses_the_message(client):
    html = client.post(reverse("admin:login"), {"username": "nobody", "password": "wrong"}).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Error:"), title
    note = re.search(r'<div class="errornote"[^>]*>', html).group(0)
    assert "autofocus" in note and 'tabindex="-1"' in note
    # The first autofocus wins: the message, not the username field after it.
    assert html.index('id="login-errors"') < html.index('id="id_username"')
