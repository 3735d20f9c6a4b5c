"""After the sign-up: talk moved or cancelled, reminders, the follow-up, join links, attendance,
export and anonymisation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from clustertalks.core import events
from clustertalks.core.models import OutboundEmail
from clustertalks.registrations import services, tasks
from clustertalks.registrations.models import Registration, RegistrationPolicy
from clustertalks.talks.models import Talk

from .conftest import part
from .helpers import in_days

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talk(make_talk):
    return make_talk("Smart specialisation", start=in_days(3), meeting_url="https://meet.example/x")


def sign_up(talk, email="ada@example.org", **fields):
    attendee = services.Attendee("Ada", email, "Org", "cluster", "BE", "Manager", **fields)
    return services.register(talk, attendee)[0]


def calendar_of(message):
    return Calendar.from_ical(part(message, "text/calendar").get_content())


def test_moving_the_talk_sends_an_update_with_a_higher_sequence(talk, smtp):
    sign_up(talk)
    before = talk.sequence
    talk.start += dt.timedelta(hours=2)
    talk.end += dt.timedelta(hours=2)
    talk.save()
    message = smtp.messages[-1]
    assert message["Subject"].startswith("Changed")
    calendar = calendar_of(message)
    assert str(calendar["method"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert int(event["sequence"]) == before + 1
    assert event.decoded("dtstart").astimezone(dt.UTC) == talk.start
    assert services.format_span(talk.start, talk.end, talk.zone_name) in part(message, "text/plain").get_content()


def test_cancelling_the_talk_sends_method_cancel(talk, smtp):
    sign_up(talk)
    talk.status = Talk.Status.CANCELLED
    talk.save()
    message = smtp.messages[-1]
    assert message["Subject"].startswith("Cancelled")
    calendar = calendar_of(message)
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_materials_published_sends_one_follow_up(talk, smtp):
    sign_up(talk)
    events.materials_published.send(sender=None, talk=talk)
    events.materials_published.send(sender=None, talk=talk)
    assert [s for s in smtp.subjects() if s.startswith("Thank you")] == [
        f"Thank you for your interest: {talk.title}"]


def test_reminders_24h_and_1h_each_once(talk, smtp, monkeypatch):
    early = sign_up(talk)
    Registration.objects.filter(pk=early.pk).update(decided_at=talk.start - dt.timedelta(days=3))
    at = {"now": talk.start - dt.timedelta(hours=23)}
    monkeypatch.setattr(timezone, "now", lambda: at["now"])
    late = sign_up(talk, email="late@example.org")  # decided 23 h before: no 24 h reminder
    tasks.send_due_reminders.call()
    tasks.send_due_reminders.call()
    assert smtp.subjects("ada@example.org").count(f"Reminder: {talk.title} starts in 1 day") == 1
    assert not [s for s in smtp.subjects("late@example.org") if s.startswith("Reminder")]
    at["now"] = talk.start - dt.timedelta(minutes=50)
    tasks.send_due_reminders.call()
    tasks.send_due_reminders.call()
    for address in ("ada@example.org", late.email):
        assert smtp.subjects(address).count(f"Reminder: {talk.title} starts in 1 hour") == 1


def test_reminders_follow_the_policy(talk, smtp, monkeypatch):
    RegistrationPolicy.objects.create(talk=talk, reminders="2d")
    registration = sign_up(talk)
    Registration.objects.filter(pk=registration.pk).update(decided_at=talk.start - dt.timedelta(days=9))
    monkeypatch.setattr(timezone, "now", lambda: talk.start - dt.timedelta(hours=30))
    tasks.send_due_reminders.call()
    assert smtp.subjects()[-1] == f"Reminder: {talk.title} starts in 2 days"
    monkeypatch.setattr(timezone, "now", lambda: talk.start - dt.timedelta(minutes=30))
    tasks.send_due_reminders.call()
    assert len([s for s in smtp.subjects() if s.startswith("Reminder")]) == 1


@pytest.mark.parametrize("text", ["24x", "0h", "-1h", "abc", "1h;2h"])
def test_wrong_reminder_settings_are_refused(talk, text):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        RegistrationPolicy(series=talk.series, reminders=text).full_clean()


def test_the_join_link_opens_only_in_its_window(client, talk, monkeypatch):
    registration = sign_up(talk)
    url = reverse("registrations:join", args=[registration.token])
    moments = {
        talk.start - dt.timedelta(minutes=16): (200, "opens at"),
        talk.start - dt.timedelta(minutes=15): (302, ""),
        talk.end - dt.timedelta(minutes=1): (302, ""),
        talk.end: (200, "has ended"),
    }
    for moment, (status, text) in moments.items():
        monkeypatch.setattr(timezone, "now", lambda m=moment: m)
        response = client.get(url)
        assert response.status_code == status, moment
        if status == 302:
            assert response["Location"] == talk.meeting_url
        else:
            assert text in response.content.decode()
            assert talk.meeting_url not in response.content.decode()


def test_the_join_page_names_the_opening_time_in_series_time(client, make_talk, monkeypatch):
    winter = make_talk(start=dt.datetime(2030, 1, 9, 7, 30, tzinfo=dt.UTC))
    registration = sign_up(winter)
    page = client.get(reverse("registrations:join", args=[registration.token]))
    assert "08:15 CET" in page.content.decode()


def test_join_refuses_unknown_tokens_and_non_approved_people(client, talk):
    assert client.get(reverse("registrations:join", args=["nope"])).status_code == 404
    RegistrationPolicy.objects.create(talk=talk, approval="manual")
    pending = sign_up(talk, email="p@example.org")
    _, decision = services.join_decision(pending.token, now=talk.start)
    assert decision.state == "not_approved" and not decision.meeting_url


def test_attendance_import_marks_who_attended(admin_client, talk):
    present, absent = sign_up(talk, "a@example.org"), sign_up(talk, "b@example.org")
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = ("Name (Original Name),User Email,Join Time\nAda,A@Example.org,2025-01-01 08:30\n"
              "Guest,stranger@example.org,2025-01-01 08:31\n")
    response = admin_client.post(
        reverse("admin:registrations_registration_import_attendance"),
        {"talk": talk.pk, "file": SimpleUploadedFile("report.csv", report.encode("utf-8-sig"))},
    )
    assert response.status_code == 302
    present.refresh_from_db(), absent.refresh_from_db()
    assert present.attended and not absent.attended
    bad = admin_client.post(reverse("admin:registrations_registration_import_attendance"),
                            {"talk": talk.pk})
    assert bad.status_code == 400


def test_csv_export_neutralises_formulas(admin_client, talk):
    sign_up(talk, "x@example.org")
    Registration.objects.update(name="=HYPERLINK(\"http://evil\")", organisation="+1", position="@SUM(A1)")
    response = admin_client.post(reverse("admin:registrations_registration_changelist"), {
        "action": "export_csv", "_selected_action": list(Registration.objects.values_list("pk", flat=True))})
    text = response.content.decode()
    assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text
    assert "\n=" not in text and ",=" not in text


def test_the_back_office_counts_by_state(admin_client, talk):
    RegistrationPolicy.objects.create(talk=talk, capacity=1)
    sign_up(talk, "a@example.org"), sign_up(talk, "b@example.org")
    page = admin_client.get(reverse("admin:registrations_registration_changelist"))
    html = page.content.decode()
    assert "Approved: <strong>1</strong>" in html
    assert "On the waiting list: <strong>1</strong>" in html


def test_old_registrations_are_anonymised(make_talk, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 12
    old = make_talk(start=timezone.now() - dt.timedelta(days=400))
    recent = make_talk(start=timezone.now() - dt.timedelta(days=100))
    for talk in (old, recent):
        Registration.objects.create(talk=talk, name="Ada", email=f"ada{talk.pk}@example.org",
                                    organisation="Org", organisation_type="cluster", country="BE",
                                    position="M", status="approved", attended=True,
                                    consented_at=timezone.now())
    assert tasks.anonymise_old_registrations.call() == 1
    gone = Registration.objects.get(talk=old)
    assert gone.name == "" and gone.email.endswith("@invalid") and gone.anonymised_at
    assert gone.country.code == "BE" and gone.attended  # kept for the statistics
    assert Registration.objects.get(talk=recent).name == "Ada"
    assert tasks.anonymise_old_registrations.call() == 0


def test_registration_created_is_sent(talk):
    received = []

    def listener(sender, registration, **kwargs):
        received.append(registration.email)

    events.registration_created.connect(listener)
    try:
        sign_up(talk)
    finally:
        events.registration_created.disconnect(listener)
    assert received == ["ada@example.org"]


def test_every_email_is_a_row(talk, smtp):
    sign_up(talk)
    row = OutboundEmail.objects.get()
    assert row.status == "sent" and row.attempts == 1 and row.to == "ada@example.org"


def test_a_postponed_talk_does_not_open_the_meeting(client, talk):
    registration = sign_up(talk)
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.POSTPONED)
    _, decision = services.join_decision(registration.token, now=talk.start)
    assert decision.state == "postponed" and not decision.meeting_url


def test_raising_the_capacity_promotes_the_waiting_list(admin_client, talk, smtp):
    policy = RegistrationPolicy.objects.create(talk=talk, capacity=1)
    sign_up(talk, "a@example.org"), sign_up(talk, "b@example.org")
    response = admin_client.post(
        reverse("admin:registrations_registrationpolicy_change", args=[policy.pk]),
        {"talk": talk.pk, "is_open": "on", "approval": "automatic", "eligibility": "all",
         "capacity": "2", "reminders": "24h,1h"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Registration.objects.get(email="b@example.org").status == "approved"
    assert smtp.subjects("b@example.org")[-1].startswith("You're in")


def test_policy_and_import_pages_open(admin_client):
    assert admin_client.get(reverse("admin:registrations_registrationpolicy_add")).status_code == 200
    assert admin_client.get(
        reverse("admin:registrations_registration_import_attendance")).status_code == 200
