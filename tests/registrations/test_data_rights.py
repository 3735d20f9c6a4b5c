"""The attendee's rights from the manage page: download what is stored (JSON), correct the
details, erase the registration (with a confirm step; the place goes to the waiting list), and
the retention sweeps that run by themselves."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from clustertalks.core import retention
from clustertalks.core.models import OutboundEmail
from clustertalks.registrations import services
from clustertalks.registrations.models import Registration, RegistrationPolicy
from clustertalks.talks.models import Talk

from .helpers import form, in_days

pytestmark = pytest.mark.django_db(transaction=True)
Status = Registration.Status


@pytest.fixture
def talk(make_talk):
    return make_talk("Open talk", start=in_days(7), meeting_url="https://zoom.example/j/1")


def sign_up(client, talk, email="ada@example.org", **changes):
    assert client.post(reverse("registrations:register", args=[talk.slug]),
                       form(email=email, **changes)).status_code == 302
    return Registration.objects.get(email=email)


def url(name, registration):
    return reverse(f"registrations:{name}", args=[services.manage_token(registration)])


def test_the_manage_pages_keep_the_token_to_this_site(client, talk, smtp):
    registration = sign_up(client, talk)
    for name in ("manage", "details", "erase", "data", "calendar"):
        response = client.get(url(name, registration))
        assert response.status_code == 200, name
        assert response["Referrer-Policy"] == "same-origin", name
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = client.get(url("manage", registration)).content.decode()
    for name in ("details", "data", "erase"):
        assert url(name, registration) in page


def test_the_download_holds_everything_stored_and_no_secret(client, talk, smtp):
    registration = sign_up(client, talk, objects_to_recording="on", newsletter="on")
    response = client.get(url("data", registration))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    mine = data["registration"]
    assert mine["name"] == "Ada Lovelace" and mine["email"] == "ada@example.org"
    assert mine["organisation"] == "Analytical Cluster" and mine["country"] == "BE"
    assert mine["objects_to_recording"] is True and mine["newsletter"] is True
    assert mine["status"] == "approved" and mine["consented_at"]
    assert data["talk"]["title"] == "Open talk"
    assert [email["kind"] for email in data["emails"]] == ["registration:approved"]
    assert data["retention"]["registration_anonymised_months_after_talk"] == 12
    assert registration.token not in response.content.decode()


def test_the_download_leaves_out_other_peoples_emails(client, talk, smtp):
    ada = sign_up(client, talk)
    sign_up(client, talk, email="bob@example.org")
    data = json.loads(client.get(url("data", ada)).content)
    assert {email["to"] for email in data["emails"]} == {"ada@example.org"}


def test_details_are_corrected_with_the_same_rules_as_the_form(client, talk, smtp):
    registration = sign_up(client, talk)
    hostile = {"name": "Ada\r\nBcc: victim@example.org", "organisation": "x" * 5000,
               "position": "Boss\x00", "time_zone": "Mars/Olympus"}
    response = client.post(url("details", registration), hostile)
    assert response.status_code == 400
    html = response.content.decode()
    assert "single line" in html and "at most 200 characters" in html and "valid choice" in html
    registration.refresh_from_db()
    assert registration.name == "Ada Lovelace"
    response = client.post(url("details", registration), {
        "name": "Ada  King", "organisation": "Engine Cluster", "position": "Countess",
        "time_zone": "Europe/Lisbon", "objects_to_recording": "on"})
    assert response.status_code == 302
    assert response["Location"].endswith("?done=updated")
    registration.refresh_from_db()
    assert (registration.name, registration.organisation, registration.position,
            registration.time_zone, registration.objects_to_recording) == (
        "Ada King", "Engine Cluster", "Countess", "Europe/Lisbon", True)
    assert registration.email == "ada@example.org"  # not changeable here
    page = client.get(response["Location"]).content.decode()
    assert "Your details are saved." in page and "asked not to appear" in page


def test_erasing_asks_first_then_deletes_and_promotes_the_waiting_list(client, talk, smtp):
    RegistrationPolicy.objects.create(talk=talk, capacity=1)
    ada = sign_up(client, talk)
    bob = sign_up(client, talk, email="bob@example.org")
    assert bob.status == Status.WAITLISTED
    erase_url, manage_url = url("erase", ada), url("manage", ada)
    page = client.get(erase_url)
    assert "cannot be undone" in page.content.decode()
    assert "first person on the waiting list" in page.content.decode()
    refused = client.post(erase_url, {})  # the box not ticked
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    assert Registration.objects.filter(pk=ada.pk).exists()
    emails_before = len(smtp.messages)
    done = client.post(erase_url, {"confirm": "yes"})
    assert done.status_code == 200 and "Your registration is erased" in done.content.decode()
    assert not Registration.objects.filter(email="ada@example.org").exists()
    assert not OutboundEmail.objects.filter(to="ada@example.org").exists()
    assert Registration.objects.get(pk=bob.pk).status == Status.APPROVED
    assert [m["To"] for m in smtp.messages[emails_before:]] == ["bob@example.org"]  # none to Ada
    assert client.get(manage_url).status_code == 404
    assert client.post(erase_url, {"confirm": "yes"}).status_code == 404  # a replay
    assert client.get(reverse("registrations:join", args=[ada.token])).status_code == 404


def test_forged_links_reach_none_of_the_rights(client, talk, smtp):
    registration = sign_up(client, talk)
    forged = services.manage_token(registration)[:-2] + "xx"
    for name in ("details", "erase"):
        path = reverse(f"registrations:{name}", args=[forged])
        assert client.get(path).status_code == 404
        assert client.post(path, {"confirm": "yes", "name": "Mallory"}).status_code == 404
    assert client.get(reverse("registrations:data", args=[forged])).status_code == 404
    registration.refresh_from_db()
    assert registration.name == "Ada Lovelace"


def test_the_objection_reaches_the_organisers(client, talk, smtp, admin_client):
    sign_up(client, talk, objects_to_recording="on")
    sign_up(client, talk, email="bob@example.org")
    listing = admin_client.get(reverse("admin:registrations_registration_changelist")
                               + "?objects_to_recording__exact=1")
    html = listing.content.decode()
    assert "ada@example.org" in html and "bob@example.org" not in html
    export = services.export_csv(Registration.objects.order_by("email"))
    header, ada_row, bob_row = export.strip().splitlines()
    assert header.endswith("objects_to_recording")
    assert ada_row.endswith(",yes") and bob_row.endswith(",no")


def test_a_talk_put_back_to_draft_closes_the_join_link_and_hides_itself(client, talk, smtp):
    registration = sign_up(client, talk)
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.DRAFT, title="Secret new title")
    _, decision = services.join_decision(registration.token, now=talk.start)
    assert decision.state == "unavailable" and not decision.meeting_url
    join = client.get(reverse("registrations:join", args=[registration.token]))
    assert join.status_code == 404 and "zoom.example" not in join.get("Location", "")
    assert "Secret new title" not in join.content.decode()
    manage = client.get(url("manage", registration)).content.decode()
    assert "Secret new title" not in manage and "not available" in manage
    assert client.get(url("calendar", registration)).status_code == 404
    assert json.loads(client.get(url("data", registration)).content)["talk"] is None
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.PUBLISHED)
    _, decision = services.join_decision(registration.token, now=talk.start)
    assert decision.meeting_url == "https://zoom.example/j/1"


def test_the_mail_log_is_pruned_after_its_own_period(settings, talk, smtp, client):
    settings.MAIL_LOG_RETENTION_DAYS = 30
    sign_up(client, talk)
    old = OutboundEmail.objects.create(to="old@example.org", kind="x", subject="s", body_text="b")
    OutboundEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    assert retention.prune_mail_log() == 1
    assert list(OutboundEmail.objects.values_list("to", flat=True)) == ["ada@example.org"]
    settings.MAIL_LOG_RETENTION_DAYS = 0  # keep forever
    OutboundEmail.objects.update(created_at=timezone.now() - dt.timedelta(days=3650))
    assert retention.prune_mail_log() == 0


def test_the_worker_schedules_both_sweeps():
    from clustertalks.core import periodic

    sweeps = {job.task.name: job.seconds for job in periodic.jobs()}
    assert sweeps["sweep_retention"] == 3600 and sweeps["anonymise_old_registrations"] == 3600


def test_the_privacy_notice_names_every_period_and_the_rights(client, settings):
    settings.REGISTRATION_RETENTION_MONTHS, settings.MAIL_LOG_RETENTION_DAYS = 18, 45
    settings.AUDIT_RETENTION_DAYS = 200
    html = client.get(reverse("core:privacy")).content.decode()
    assert "18 months after the talk" in html
    assert "deleted 45 days after" in html
    assert "kept for 200 days" in html
    assert "2018/1725" in html and "download everything" in html and "erase it" in html
