"""A form sent without a valid CSRF token gets a page that says what to do, not a bare 403."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_forged_form_gets_the_friendly_page(make_talk):
    talk = make_talk()
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/talks/{talk.slug}/register/", {"name": "Ada"},
                           HTTP_REFERER=f"http://testserver/talks/{talk.slug}/register/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "The form could not be sent" in html
    assert "reload it, and send the form again" in html
    assert f'href="http://testserver/talks/{talk.slug}/register/"' in html  # back to the form
    assert "CSRF" not in html and "Referer" not in html  # no developer jargon
    assert 'class="site-header' in html or "<main" in html  # the site's own layout
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_a_referer_from_another_site_is_not_linked(make_talk):
    talk = make_talk()
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/talks/{talk.slug}/register/", {},
                           HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()
