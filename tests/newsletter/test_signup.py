import datetime as dt
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from clustertalks.core.models import OutboundEmail
from clustertalks.newsletter import services
from clustertalks.newsletter.models import Subscriber
from clustertalks.talks.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)
SIGNUP = "/newsletter/"


def post(client, **fields):
    data = {"email": "ada@example.org", "name": "Ada", "language": "en", "follow": "series"}
    data.update(fields)
    return client.post(SIGNUP, data)


def confirm_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return next(line.strip() for line in body.splitlines() if "/newsletter/confirm/" in line)


def test_footer_of_every_page_has_the_signup_form_without_csrf(client, series):
    html = client.get(series.get_absolute_url()).content.decode()
    assert f'action="{SIGNUP}"' in html and 'name="email"' in html
    assert "csrfmiddlewaretoken" not in html  # public pages stay cacheable
    assert reverse("insights:series_statistics", args=[series.slug]) in html


def test_signup_sends_only_the_confirmation_until_confirmed(client, smtp):
    response = Client(enforce_csrf_checks=True).post(SIGNUP, {"email": "Ada@Example.org",
                                                              "follow": "series", "language": "en"})
    assert response.status_code == 302 and response["Location"] == reverse("newsletter:thanks")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ada@example.org" and subscriber.status == "pending"
    [message] = smtp.to("ada@example.org")
    assert "confirm" in message["Subject"].lower()
    assert message["List-Unsubscribe"].strip().startswith("<http") and \
        message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = confirm_link(message)
    page = client.get("/" + link.split("/", 3)[3])
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "confirmed" and subscriber.confirmed_at


def test_signup_answers_the_same_whatever_the_address_state(client, smtp, make_subscriber):
    make_subscriber("confirmed@example.org")
    make_subscriber("gone@example.org", status=Subscriber.Status.BOUNCED)
    answers = {(r.status_code, r["Location"], r.content) for r in [
        post(client, email="new@example.org"), post(client, email="confirmed@example.org"),
        post(client, email="gone@example.org")]}
    assert len(answers) == 1
    assert smtp.to("gone@example.org") == []  # suppressed: nothing at all
    [notice] = smtp.to("confirmed@example.org")  # told it is subscribed already, nothing changed
    assert Subscriber.objects.get(email="confirmed@example.org").status == "confirmed"
    assert "/newsletter/preferences/" in notice.get_body(("plain",)).get_content()


def test_a_second_signup_within_the_hour_sends_no_second_confirmation(client, smtp):
    post(client)
    post(client)
    assert len(smtp.to("ada@example.org")) == 1


def test_confirmation_links_expire(client, smtp, settings):
    settings.NEWSLETTER_CONFIRM_DAYS = 7
    post(client)
    path = "/" + confirm_link(smtp.messages[0]).split("/", 3)[3]
    later = time.time() + dt.timedelta(days=8).total_seconds()
    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(path)
    assert page.status_code == 404
    assert Subscriber.objects.get().status == "pending"
    assert client.get(path.replace("/confirm/", "/confirm/x")).status_code == 404


def test_an_old_confirmation_link_does_not_undo_an_unsubscribe(client, smtp):
    post(client)
    path = "/" + confirm_link(smtp.messages[0]).split("/", 3)[3]
    subscriber = Subscriber.objects.get()
    services.unsubscribe(subscriber)
    assert client.get(path).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"


HOSTILE = [
    {"name": "Ada\r\nBcc: victim@example.org"},
    {"name": "Ada\nSubject: spam"},
    {"email": "ada@example.org\r\nBcc: victim@example.org"},
    {"email": "ada@example.org\nX-Injected: 1"},
    {"email": "ada@example.org,victim@example.org"},
    {"email": "\"Ada\" <ada@example.org>"},
    {"name": "A" * 5000},
    {"email": "a" * 5000 + "@example.org"},
    {"name": "<script>alert(1)</script>"},
    {"email": "ada\x00@example.org"},
    {"follow": "everything"},
    {"language": "xx"},
    {"email": ""},
]


@pytest.mark.parametrize("fields", HOSTILE)
def test_hostile_signup_input_is_refused_cleanly(client, smtp, fields):
    response = post(client, **fields)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode() or "notice--error" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not OutboundEmail.objects.exists() and smtp.messages == []


@pytest.mark.parametrize("fields", HOSTILE)
def test_hostile_api_signup_input_gets_a_json_4xx(client, smtp, fields):
    body = {"email": "ada@example.org", "name": "Ada", **fields}
    response = client.post("/api/v1/newsletter/subscribers", body, content_type="application/json")
    assert 400 <= response.status_code < 500, response.content
    assert response.json()["detail"]
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_huge_body_and_odd_topic_ids_do_not_break_the_form(client, smtp):
    response = post(client, topics=["1", "999999999999", "x", "-3"], follow="topics")
    assert response.status_code == 400  # unknown topics are a form error, never a 500
    topic = Topic.objects.create(name="Skills")
    assert post(client, topics=[str(topic.pk)], follow="topics").status_code == 302
    assert list(Subscriber.objects.get().topics.all()) == [topic]


def test_the_robot_trap_subscribes_nobody(client, smtp):
    assert post(client, website="http://spam").status_code == 302
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_api_signup_sends_the_confirmation_and_says_nothing_about_the_address(client, smtp,
                                                                                make_subscriber):
    make_subscriber("known@example.org")
    first = client.post("/api/v1/newsletter/subscribers", {"email": "new@example.org"},
                        content_type="application/json")
    second = client.post("/api/v1/newsletter/subscribers", {"email": "known@example.org"},
                         content_type="application/json")
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert Subscriber.objects.get(email="new@example.org").source == "api"
    assert len(smtp.to("new@example.org")) == 1


def test_the_registration_opt_in_makes_a_pending_subscriber_with_the_double_opt_in(
        client, smtp, make_talk):
    from clustertalks.registrations import services as registrations
    from tests.registrations.helpers import in_days

    talk = make_talk(start=in_days(7))
    attendee = registrations.Attendee("Ada", "ada@example.org", "O", "cluster", "BE", "P",
                                      newsletter=True)
    registrations.register(talk, attendee)
    other = registrations.Attendee("Bob", "bob@example.org", "O", "cluster", "BE", "P")
    registrations.register(talk, other)
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.status, subscriber.source) == (
        "ada@example.org", "pending", "registration")
    assert any("/newsletter/confirm/" in m.get_body(("plain",)).get_content()
               for m in smtp.to("ada@example.org"))


def test_preferences_page_changes_what_a_subscriber_follows(client, make_subscriber):
    topic = Topic.objects.create(name="Skills")
    subscriber = make_subscriber("ada@example.org")
    url = reverse("newsletter:preferences", args=[subscriber.token])
    page = client.get(url)
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"] + "no-cache"
    response = client.post(url, {"follow": "topics", "topics": [topic.pk], "alerts": "on",
                                 "language": "en"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.follow == "topics" and subscriber.alerts
    assert list(subscriber.topics.all()) == [topic]
    assert client.get(reverse("newsletter:preferences", args=["nope"])).status_code == 404


def test_one_click_unsubscribe_needs_no_session_or_csrf_and_only_hits_its_address(make_subscriber):
    ada, bob = make_subscriber("ada@example.org"), make_subscriber("bob@example.org")
    robot = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", args=[ada.token])
    assert robot.get(url).status_code == 200  # a GET (link scanner) changes nothing
    ada.refresh_from_db()
    assert ada.status == "confirmed"
    response = robot.post(url, "List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    ada.refresh_from_db()
    bob.refresh_from_db()
    assert ada.status == "unsubscribed" and ada.unsubscribed_at
    assert bob.status == "confirmed"
    assert robot.post(reverse("newsletter:unsubscribe", args=["x" * 43]),
                      "List-Unsubscribe=One-Click",
                      content_type="application/x-www-form-urlencoded").status_code == 404
    assert robot.post(reverse("newsletter:unsubscribe", args=["x" * 500])).status_code == 404

