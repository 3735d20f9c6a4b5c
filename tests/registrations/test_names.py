"""Nobody can make the site mail text of their choosing: the name, the only text of the
visitor's that an email carries, must be one line and no address; the other fields are one line
and never echoed in an email."""

import pytest
from django.urls import reverse

from clustertalks.registrations.models import Registration

from .conftest import part
from .helpers import form, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def talk(make_talk):
    return make_talk("Open talk", start=in_days(7))


def post(client, talk, **changes):
    return client.post(reverse("registrations:register", args=[talk.slug]), form(**changes))


@pytest.mark.parametrize("name", [
    "Ada\r\nBcc: victim@example.org",
    "Ada\nClick here",
    "Ada\u2028Lovelace",  # line separator
    "Ada\tLovelace",
    "Ada\u202eecalevoL",  # right-to-left override
    "Ada\x00",
    "Win a prize at www.example.com",
    "Visit https://example.com now",
    "hxxp://evil",
    "Claim at prize.example",
    "Claim at prize\uff0eexample",  # fullwidth dot
    "ada@example.org",
    "<a href=x>Ada</a>",
    "Ada {{ secret }}",
    "12345",
    "   ",
    "x" * 101,
    "A" * 5000,
])
def test_names_with_line_breaks_links_or_markup_are_refused(client, talk, name):
    response = post(client, talk, name=name)
    assert response.status_code == 400
    assert 'id="id_name_error"' in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize("name", [
    "Ada Lovelace", "Jean-Pierre O'Neil", "José María Núñez-Fernández", "J. R. R. Tolkien",
    "Dr. Ana Kovač, PhD", "Zoë d’Arc (Jr.)", "محمد رضا", "李小龍", "Nguyễn Văn A",
    "कृष्ण", "Lena\u200cSchmidt",  # a zero-width non-joiner is part of some scripts
])
def test_real_names_are_welcome(client, talk, name):
    assert post(client, talk, name=name, email="someone@example.org").status_code == 302
    assert Registration.objects.get().name == name


def test_spaces_are_tidied(client, talk):
    post(client, talk, name="  Ada    Lovelace ", organisation=" Analytical   Cluster ")
    registration = Registration.objects.get()
    assert (registration.name, registration.organisation) == ("Ada Lovelace", "Analytical Cluster")


@pytest.mark.parametrize("field", ["organisation", "position"])
@pytest.mark.parametrize("value", ["Org\r\nBcc: victim@example.org", "Org\x00", "x" * 5000])
def test_the_other_text_fields_are_one_line_too(client, talk, field, value):
    assert post(client, talk, **{field: value}).status_code == 400
    assert not Registration.objects.exists()


def test_header_injection_in_the_email_field_is_refused(client, talk):
    assert post(client, talk, email="ada@example.org\r\nBcc: victim@example.org").status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_no_email_carries_more_of_the_visitors_text_than_the_name(client, talk, smtp):
    marker_org, marker_position = "Organisation-Marker-7731", "Position-Marker-4410"
    post(client, talk, organisation=marker_org, position=marker_position)
    registration = Registration.objects.get()
    from clustertalks.registrations import emails

    for kind in emails.SUBJECTS:
        message = emails.build(registration, kind, offset=__import__("datetime").timedelta(hours=1))
        everything = " ".join([message.subject, message.body_text, message.body_html,
                               message.calendar])
        assert marker_org not in everything and marker_position not in everything, kind
    [sent] = smtp.messages
    assert marker_org not in sent.as_string() and "Ada Lovelace" in part(sent, "text/plain").get_content()
