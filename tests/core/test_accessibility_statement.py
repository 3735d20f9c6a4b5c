"""The accessibility statement follows the EU model: status, non-accessible content,
preparation date, feedback contact and enforcement procedure (issue 11)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def statement(client):
    response = client.get(reverse("core:accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_has_every_section_of_the_eu_model(client):
    html = statement(client)
    for anchor in ("status", "non-accessible", "preparation", "feedback", "enforcement"):
        assert f'id="{anchor}"' in html, anchor
    assert "partially compliant" in html and "EN 301 549" in html
    assert "This statement was prepared on 7 December 2026." in html
    assert "Reply to any email" in html  # no contact address configured: still a way to reach us
    assert 'href="https://digital-strategy.ec.europa.eu/' in html


def test_the_contact_and_dates_come_from_settings(client, settings):
    settings.CONTACT_EMAIL = "talks@example.eu"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a11y@example.eu"
    settings.ACCESSIBILITY_STATEMENT_PREPARED = "2027-01-15"
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = "2027-06-30"
    html = statement(client)
    assert 'href="mailto:a11y@example.eu"' in html
    assert "prepared on 15 January 2027" in html and "last reviewed on 30 June 2027" in html


@pytest.mark.parametrize("email, date, url", [
    ("not an address", "yesterday", "javascript:alert(1)"),
    ('"><script>alert(1)</script>@x', "2027-13-45", "http://plain.example"),
    ("x" * 5000, "", ""),
])
def test_wrong_settings_are_left_out_never_shown_raw(client, settings, email, date, url):
    settings.ACCESSIBILITY_CONTACT_EMAIL = email
    settings.ACCESSIBILITY_STATEMENT_PREPARED = date
    settings.ACCESSIBILITY_ENFORCEMENT_URL = url
    html = statement(client)
    assert "<script>alert(1)" not in html and "javascript:" not in html and "mailto:" not in html
    assert "This statement was prepared" not in html
    assert "Reply to any email" in html
