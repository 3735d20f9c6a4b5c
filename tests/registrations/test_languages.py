"""An attendee who registered on the Polish page gets every email and calendar invitation in
Polish, with the talk's time right on both sides of the clock change."""

import datetime as dt
import email
import re

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from clustertalks.core.models import OutboundEmail
from clustertalks.registrations import emails
from clustertalks.registrations.models import Registration

from ..conftest import utc
from .helpers import form

pytestmark = pytest.mark.django_db(transaction=True)


def polish(message: str) -> str:
    with translation.override("pl"):
        return str(translation.gettext(message))


@pytest.mark.parametrize(("start", "wall_clock", "zone", "day"), [
    # The last Wednesday of summer time (clocks go back on Sunday 31 October 2027) ...
    (utc(2027, 10, 27, 6, 30), "08:30", "CEST", "środa, 27 października 2027"),
    # ... and the first of winter time: the same 08:30 in Brussels, an hour later in UTC.
    (utc(2027, 11, 10, 7, 30), "08:30", "CET", "środa, 10 listopada 2027"),
])
def test_registered_in_polish_gets_polish_emails_and_invitation(client, languages, make_talk,
                                                                start, wall_clock, zone, day):
    talk = make_talk("Klastry w Europie", start=start, meeting_url="https://zoom.example/j/1")
    response = client.post(f"/pl/talks/{talk.slug}/register/", form(time_zone=""))
    assert response.status_code == 302 and response["Location"].startswith("/pl/")
    registration = Registration.objects.get(email="ada@example.org")
    assert registration.language == "pl"

    confirmation = OutboundEmail.objects.get(kind="registration:approved")
    reminder = emails.build(registration, "reminder", offset=dt.timedelta(days=1))
    followup = emails.build(registration, "followup")
    for message in (confirmation, reminder, followup):
        assert f"{day}, {wall_clock}–" in message.body_text and f" {zone}" in message.body_text, message.kind
        assert f"/pl/talks/{talk.slug}/" in message.body_text
        assert "/pl/registration/" in message.body_text
        assert f'<html lang="pl"' in message.body_html or 'lang="pl"' in message.body_html
    with translation.override("pl"):  # the subject as the Polish catalogue writes it
        subject = str(emails.SUBJECTS["approved"]) % {"title": talk.title, "when": ""}
    assert confirmation.subject == " ".join(subject.split())

    invitation = Calendar.from_ical(confirmation.calendar)
    event = invitation.walk("VEVENT")[0]
    assert event.decoded("dtstart").astimezone(dt.UTC) == start  # the instant itself
    assert event.decoded("dtstart").strftime("%H:%M") == wall_clock
    assert event.decoded("dtstart").tzname() == zone
    assert str(event["url"]).endswith(f"/pl/talks/{talk.slug}/")
    assert polish("Your personal join link") in str(event["description"])


def test_english_page_keeps_english_and_a_language_no_longer_offered_falls_back(client, languages, make_talk):
    talk = make_talk("Clusters", start=utc(2027, 11, 10, 7, 30))
    client.post(f"/talks/{talk.slug}/register/", form())
    registration = Registration.objects.get()
    assert registration.language == "en"
    registration.language = "mt"  # not offered: its links would lead nowhere
    message = emails.build(registration, "followup")
    assert "Wednesday 10 November 2027, 08:30–" in message.body_text
    assert re.search(r"/(mt|pl)/", message.body_text) is None
