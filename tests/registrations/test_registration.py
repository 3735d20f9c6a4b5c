import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from icalendar import Calendar

from clustertalks.feeds.calendar import talk_uid
from clustertalks.registrations import services
from clustertalks.registrations.models import Registration, RegistrationPolicy

from .conftest import part
from .helpers import form, in_days

Status = Registration.Status
# Emails leave after the transaction commits: run these tests with real commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def talk(make_talk):
    return make_talk("Clusters & <Skills>", start=in_days(7), meeting_url="https://zoom.example/j/1")


def register_url(talk):
    return reverse("registrations:register", args=[talk.slug])


def calendar_of(message):
    attachment = part(message, "text/calendar")
    assert attachment is not None, "no calendar attached"
    return attachment, Calendar.from_ical(attachment.get_content())


def test_the_talk_page_links_to_the_form_and_holds_nothing_personal(client, talk):
    page = client.get(talk.get_absolute_url())
    html = page.content.decode()
    assert register_url(talk) in html
    assert "csrfmiddlewaretoken" not in html
    assert "public" in page["Cache-Control"]


def test_the_talk_page_costs_the_same_queries_with_many_registrations(client, talk, count_queries):
    services.register(talk, services.Attendee("A", "a@x.org", "O", "cluster", "BE", "P"))
    one = count_queries(client.get, talk.get_absolute_url())
    for n in range(5):
        services.register(talk, services.Attendee("A", f"a{n}@x.org", "O", "cluster", "BE", "P"))
    assert count_queries(client.get, talk.get_absolute_url()) == 0  # no place count: still cached
    caches["pages"].clear()
    assert count_queries(client.get, talk.get_absolute_url()) == one


def test_the_form_page_is_private_and_carries_csrf(client, talk):
    page = client.get(register_url(talk))
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.content.decode()
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    html = page.content.decode()
    assert reverse("core:privacy") in html
    assert 'name="newsletter"' in html and 'name="newsletter" checked' not in html


def test_a_sign_up_is_approved_and_gets_an_invitation_with_a_join_link(client, talk, smtp):
    response = client.post(register_url(talk), form())
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:registered", args=[talk.slug])
    registration = Registration.objects.get()
    assert registration.status == Status.APPROVED
    [message] = smtp.to("ada@example.org")
    assert message["Subject"].startswith("You're in")
    text = part(message, "text/plain").get_content()
    html = part(message, "text/html").get_content()
    join = services.join_url(registration)
    assert join in text and join in html
    assert "CET" in text or "CEST" in text  # the series' zone
    assert "EST" in text or "EDT" in text  # the attendee's own
    attachment, calendar = calendar_of(message)
    assert attachment.get_param("method") == "REQUEST"
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == talk_uid(talk)
    assert int(event["sequence"]) == talk.sequence
    assert "ada@example.org" in str(event["attendee"])
    next_page = client.get(response["Location"])
    assert "What happens next" in next_page.content.decode()


def test_html_in_every_field_is_escaped_in_pages_and_emails(client, talk, smtp, admin_client):
    hostile = "<script>alert(1)</script>"
    name = "Ada \"Bob\" O'Neil & Co"  # a name may hold quotes and ampersands, never markup
    client.post(register_url(talk), form(name=name, organisation=hostile, position=hostile))
    registration = Registration.objects.get()
    assert (registration.name, registration.organisation) == (name, hostile)  # stored as typed
    [message] = smtp.messages
    html = part(message, "text/html").get_content()
    assert "Dear Ada &quot;Bob&quot; O&#x27;Neil &amp; Co," in html
    assert "<script>" not in html and hostile not in html  # the organisation is not echoed
    assert "&lt;Skills&gt;" in html  # the title is escaped too
    manage = client.get(reverse("registrations:manage", args=[services.manage_token(registration)]))
    assert "<script>alert" not in manage.content.decode()
    listing = admin_client.get(reverse("admin:registrations_registration_changelist"))
    assert listing.status_code == 200 and "<script>alert" not in listing.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": None}, "This field is required"),
        ({"name": "x" * 10_000}, "at most 100 characters"),
        ({"organisation": "x" * 5_000}, "at most 200 characters"),
        ({"email": "not-an-email"}, "valid email"),
        ({"email": "a@b.c" + "x" * 300}, "at most 254"),
        ({"consent": None}, "This field is required"),
        ({"country": "XX"}, "valid choice"),
        ({"organisation_type": "'; DROP TABLE registrations;--"}, "valid choice"),
        ({"time_zone": "Mars/Olympus"}, "valid choice"),
        ({"name": "nul\x00byte"}, "Null characters"),
    ],
)
def test_wrong_input_gets_a_clear_message_and_saves_nothing(client, talk, changes, message, smtp):
    response = client.post(register_url(talk), form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert not smtp.messages


def test_a_country_outside_the_eligible_list_is_refused(client, talk):
    RegistrationPolicy.objects.create(series=talk.series, eligibility="eu")
    response = client.post(register_url(talk), form(country="US"))
    assert response.status_code == 400
    assert "these countries only" in response.content.decode()
    assert client.post(register_url(talk), form(country="BE")).status_code == 302


def test_registration_closes_at_2359_the_day_before_in_series_time(talk):
    closes = services.closing_time(talk, services.policy_for(talk))
    local = closes.astimezone(dt.timezone(dt.timedelta(0))).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Brussels"))
    assert (local.hour, local.minute) == (23, 59)
    assert local.date() == talk.local_start.date() - dt.timedelta(days=1)


def test_after_the_closing_time_the_form_refuses(client, make_talk):
    tomorrow_morning = make_talk(start=in_days(0.5, hour_utc=None))
    RegistrationPolicy.objects.create(talk=tomorrow_morning, closes_at=in_days(-1, hour_utc=None))
    response = client.post(register_url(tomorrow_morning), form())
    assert response.status_code == 409
    assert "Registration closed on" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_closed_policy_a_cancelled_and_a_draft_talk_take_no_registration(client, make_talk):
    closed = make_talk(start=in_days(5))
    RegistrationPolicy.objects.create(talk=closed, is_open=False)
    cancelled = make_talk(start=in_days(5), status="cancelled")
    draft = make_talk(start=in_days(5), status="draft")
    assert client.post(register_url(closed), form()).status_code == 409
    assert "cancelled" in client.post(register_url(cancelled), form()).content.decode()
    assert client.post(register_url(draft), form()).status_code == 404
    assert not Registration.objects.exists()


def test_a_second_sign_up_does_not_duplicate_nor_reveal_anything(client, talk, smtp):
    first = client.post(register_url(talk), form())
    second = client.post(register_url(talk), form(email="ADA@example.org", name="Someone else"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    registration = Registration.objects.get()
    assert registration.name == "Ada Lovelace"
    assert smtp.subjects("ada@example.org")[-1].startswith("Your registration")


def test_the_honeypot_looks_like_success_and_saves_nothing(client, talk, smtp):
    response = client.post(register_url(talk), form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert not smtp.messages


def test_the_rate_limit_answers_429(client, talk, settings):
    settings.REGISTRATION_RATE_LIMIT = 3
    codes = [client.post(register_url(talk), form(email=f"p{n}@example.org")).status_code
             for n in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert Registration.objects.count() == 3


def test_manual_approval_sends_received_then_youre_in(client, talk, smtp, admin_client):
    RegistrationPolicy.objects.create(series=talk.series, approval="manual")
    client.post(register_url(talk), form())
    registration = Registration.objects.get()
    assert registration.status == Status.PENDING
    assert smtp.subjects()[-1].startswith("Registration received")
    assert part(smtp.messages[-1], "text/calendar") is None
    admin_client.post(reverse("admin:registrations_registration_changelist"),
                      {"action": "approve", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED
    assert smtp.subjects()[-1].startswith("You're in")


def test_rejection_is_polite_and_closes_the_join_link(client, talk, smtp, admin_client):
    RegistrationPolicy.objects.create(series=talk.series, approval="manual")
    client.post(register_url(talk), form())
    registration = Registration.objects.get()
    admin_client.post(reverse("admin:registrations_registration_changelist"),
                      {"action": "reject", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == Status.REJECTED
    assert "sorry" in part(smtp.messages[-1], "text/plain").get_content()
    _, decision = services.join_decision(registration.token, now=talk.start)
    assert decision.state == "not_approved"


def test_capacity_waitlist_and_first_come_first_served_promotion(client, talk, smtp):
    RegistrationPolicy.objects.create(talk=talk, capacity=1)
    for who in ("first", "second", "third"):
        client.post(register_url(talk), form(email=f"{who}@example.org"))
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"first@example.org": "approved", "second@example.org": "waitlisted",
                        "third@example.org": "waitlisted"}
    assert smtp.subjects("second@example.org") == [f"On the waiting list: {talk.title}"]
    first = Registration.objects.get(email="first@example.org")
    client.post(reverse("registrations:manage", args=[services.manage_token(first)]),
                {"action": "cancel"})
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["first@example.org"] == "cancelled"
    assert statuses["second@example.org"] == "approved"
    assert statuses["third@example.org"] == "waitlisted"
    assert smtp.subjects("second@example.org")[-1].startswith("You're in")
    cancel_message = smtp.to("first@example.org")[-1]
    _, calendar = calendar_of(cancel_message)
    assert str(calendar["method"]) == "CANCEL"


def test_the_manage_page_shows_status_ics_and_cancels_once(client, talk, smtp):
    client.post(register_url(talk), form())
    registration = Registration.objects.get()
    url = reverse("registrations:manage", args=[services.manage_token(registration)])
    page = client.get(url)
    assert "Approved" in page.content.decode()
    ics = client.get(reverse("registrations:calendar", args=[services.manage_token(registration)]))
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0]["uid"] == talk_uid(talk)
    assert "cancelled" in client.post(url, {"action": "cancel"}).content.decode()
    replay = client.post(url, {"action": "cancel"})
    assert replay.status_code == 200 and "already cancelled" in replay.content.decode()
    assert smtp.subjects("ada@example.org").count(f"Registration cancelled: {talk.title}") == 1


def test_forged_and_expired_manage_links_get_a_clear_404(client, talk, monkeypatch):
    registration, _ = services.register(talk, services.Attendee("A", "a@x.org", "O", "cluster",
                                                                "BE", "P"))
    good = services.manage_token(registration)
    forged = good[:-3] + ("aaa" if not good.endswith("aaa") else "bbb")
    for signed in (forged, registration.token, "x" * 5000, "a:b:c"):
        response = client.get(reverse("registrations:manage", args=[signed]))
        assert response.status_code == 404
        assert "This link is not valid" in response.content.decode()
    from django.core import signing

    old = signing.b62_encode(int(dt.datetime.now().timestamp()) - 500 * 86400)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: old)
    expired = services.manage_token(registration)
    monkeypatch.undo()
    assert client.get(reverse("registrations:manage", args=[expired])).status_code == 404
    assert client.post(reverse("registrations:manage", args=[forged]),
                       {"action": "cancel"}).status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED


def test_an_eu_preset_and_custom_lists(talk):
    policy = RegistrationPolicy(series=talk.series, eligibility="eu")
    assert services.is_eligible(policy, "DE") and not services.is_eligible(policy, "NO")
    policy.eligibility = "eea"
    assert services.is_eligible(policy, "NO")
    policy = RegistrationPolicy.objects.create(talk=talk, eligibility="custom", countries=["UA"])
    assert services.is_eligible(policy, "UA") and not services.is_eligible(policy, "BE")


def test_the_talk_override_wins_over_the_series(talk):
    RegistrationPolicy.objects.create(series=talk.series, capacity=5)
    RegistrationPolicy.objects.create(talk=talk, capacity=50)
    assert services.policy_for(talk).capacity == 50


def test_the_emails_follow_the_registration_language_and_are_text_and_html(talk, smtp):
    services.register(talk, services.Attendee("A", "a@x.org", "O", "cluster", "BE", "P",
                                              language="en"))
    message = smtp.messages[-1]
    assert message.get_content_type() == "multipart/mixed"
    assert part(message, "text/plain") and part(message, "text/html")
    assert re.search(r"registration/[^/\s]+/", part(message, "text/plain").get_content())


def test_the_privacy_notice_says_what_is_kept_and_how_long(client, settings):
    settings.REGISTRATION_RETENTION_MONTHS = 18
    html = client.get(reverse("core:privacy")).content.decode()
    assert "People who register for a talk" in html
    assert "18 months after the talk" in html


def test_the_form_page_costs_the_same_queries_with_many_registrations(client, talk, count_queries):
    services.register(talk, services.Attendee("A", "a@x.org", "O", "cluster", "BE", "P"))
    one = count_queries(client.get, register_url(talk))
    for n in range(5):
        services.register(talk, services.Attendee("A", f"a{n}@x.org", "O", "cluster", "BE", "P"))
    assert count_queries(client.get, register_url(talk)) == one


def test_a_cancelled_registration_can_register_again(client, talk, smtp):
    client.post(register_url(talk), form())
    registration = Registration.objects.get()
    services.cancel(registration)
    client.post(register_url(talk), form())
    registration.refresh_from_db()
    assert registration.status == Status.APPROVED and Registration.objects.count() == 1


def test_a_talk_cancelled_while_the_form_was_sent_refuses_and_keeps_nothing(talk):
    """The new row, its audit entry and the newsletter opt-in are written before the talk's
    row is locked; a refusal under the lock must take them all back."""
    from clustertalks.audit.models import Entry
    from clustertalks.newsletter.models import Subscriber
    from clustertalks.talks.models import Talk

    type(talk).objects.filter(pk=talk.pk).update(status=Talk.Status.CANCELLED)  # talk is stale
    attendee = services.Attendee("Ada", "ada@example.org", "O", "cluster", "BE", "P", newsletter=True)
    with pytest.raises(services.RegistrationRefused, match="cancelled"):
        services.register(talk, attendee)
    assert not Registration.objects.exists() and not Subscriber.objects.exists()
    assert not Entry.objects.filter(content_type__model="registration").exists()


def test_places_are_decided_under_the_lock_whatever_the_first_status(talk):
    """Unlimited: approved at once. Limited: approved while places are free, then waiting."""
    RegistrationPolicy.objects.create(talk=talk, capacity=2)
    statuses = [services.register(talk, services.Attendee("A", f"a{n}@x.org", "O", "cluster",
                                                          "BE", "P"))[0].status for n in range(4)]
    assert statuses == [Status.APPROVED, Status.APPROVED, Status.WAITLISTED, Status.WAITLISTED]
    assert list(Registration.objects.order_by("pk").values_list("status", flat=True)) == statuses


def test_a_talk_deleted_while_the_form_was_sent_keeps_nothing(client, talk, monkeypatch):
    from clustertalks.registrations import views

    stale = views._visible_talk

    def found_then_deleted(request, slug):
        found = stale(request, slug)
        type(found).objects.filter(pk=found.pk).delete()
        return found

    monkeypatch.setattr(views, "_visible_talk", found_then_deleted)
    assert client.post(register_url(talk), form()).status_code == 404
    assert not Registration.objects.exists()
