import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from clustertalks.core.models import OutboundEmail
from clustertalks.core.tasks import deliver_due_emails
from clustertalks.materials.models import Recording, Takeaway, TalkSummary
from clustertalks.newsletter import digests, exports, services
from clustertalks.newsletter.models import Digest, Subscriber
from clustertalks.talks.models import Topic

pytestmark = pytest.mark.django_db(transaction=True)
S = Subscriber.Status


@pytest.fixture
def period_talks(make_talk):
    """Next week's talk and last week's recorded talk with takeaways."""
    now = timezone.now()
    skills = Topic.objects.create(name="Skills")
    upcoming = make_talk("Clusters & skills", start=now + dt.timedelta(days=7))
    upcoming.topics.add(skills)
    recorded = make_talk("Green [transition]", start=now - dt.timedelta(days=10))
    Recording.objects.create(talk=recorded, source="youtube", url="https://youtu.be/x",
                             duration_seconds=3600)
    Takeaway.objects.create(talk=recorded, kind="policy", text="The Green Deal needs clusters")
    TalkSummary.objects.create(talk=recorded, materials_published_at=now - dt.timedelta(days=2))
    return upcoming, recorded, skills


def digest_for(period_talks):
    today = timezone.localdate()
    return digests.propose(today, today + dt.timedelta(days=30))


def test_the_proposal_is_built_from_the_data(period_talks):
    upcoming, recorded, skills = period_talks
    digest = digest_for(period_talks)
    assert digest.status == "draft"
    assert "Next talk" in digest.body and "Clusters & skills" in digest.body
    assert reverse("registrations:register", args=[upcoming.slug]) in digest.body
    assert "New recordings" in digest.body and "The Green Deal needs clusters" in digest.body
    assert "Green \\[transition\\]" in digest.body  # a title cannot inject Markdown links
    assert digest.has_recordings and list(digest.topics.all()) == [skills]
    html = digests.render(digest)["body_html"]
    assert '<a href="http' in html and "<h2>" in html


def test_only_confirmed_subscribers_who_want_it_receive_the_digest(period_talks, smtp,
                                                                   make_subscriber):
    _upcoming, _recorded, skills = period_talks
    other_topic = Topic.objects.create(name="Funding")
    make_subscriber("all@example.org")
    make_subscriber("recordings@example.org", follow="recordings")
    make_subscriber("skills@example.org", follow="topics").topics.add(skills)
    make_subscriber("funding@example.org", follow="topics").topics.add(other_topic)
    for status in (S.PENDING, S.UNSUBSCRIBED, S.BOUNCED, S.COMPLAINED):
        make_subscriber(f"{status}@example.org", status=status)
    digest = digest_for(period_talks)
    assert digests.start_sending(digest)
    assert not digests.start_sending(digest)  # a second click sends nothing more
    received = sorted(m["To"] for m in smtp.messages)
    assert received == ["all@example.org", "recordings@example.org", "skills@example.org"]
    digest.refresh_from_db()
    assert digest.status == "sent" and digest.recipients == 3
    message = smtp.to("all@example.org")[0]
    me = Subscriber.objects.get(email="all@example.org")
    assert message["List-Unsubscribe"].strip() == f"<{services.unsubscribe_url(me)}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    assert services.preferences_url(me) in text and services.unsubscribe_url(me) in text
    assert "@@CT-" not in text


def test_an_interrupted_send_resumes_and_delivers_each_subscriber_exactly_once(
        period_talks, smtp, make_subscriber, settings, monkeypatch):
    settings.NEWSLETTER_BATCH_SIZE = 4
    for n in range(10):
        make_subscriber(f"s{n}@example.org")
    digest = digest_for(period_talks)
    Digest.objects.filter(pk=digest.pk).update(status=Digest.Status.SENDING)
    original, calls = digests.queue_batch, []

    def crash_on_second_batch(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return original(*args, **kwargs)

    monkeypatch.setattr(digests, "queue_batch", crash_on_second_batch)
    with pytest.raises(SystemExit):
        digests.send(digest)
    assert OutboundEmail.objects.filter(kind="newsletter:digest").count() == 4
    deliver_due_emails.enqueue()  # the worker's sweep delivers what was queued before the crash
    assert len(smtp.messages) == 4
    monkeypatch.setattr(digests, "queue_batch", original)

    # The SMTP server refuses mail for a while halfway through the rest of the send.
    delivered = {"n": 0}
    handle = smtp.handle_DATA

    async def flaky(server, session, envelope):
        delivered["n"] += 1
        if delivered["n"] == 3:
            return "451 Try again later"
        return await handle(server, session, envelope)

    smtp.handle_DATA = flaky
    assert digests.send(Digest.objects.get(pk=digest.pk)) == 10  # the restart
    OutboundEmail.objects.filter(status="queued").update(next_attempt_at=timezone.now())
    deliver_due_emails.enqueue()  # the retry sweep after the backoff
    received = sorted(m["To"] for m in smtp.messages)
    assert received == sorted(f"s{n}@example.org" for n in range(10)), received
    assert OutboundEmail.objects.filter(kind="newsletter:digest").count() == 10


def test_admin_proposes_previews_tests_sends_and_the_archive_shows_it(admin_client, organiser,
                                                                      period_talks, smtp,
                                                                      make_subscriber):
    make_subscriber("reader@example.org")
    today = timezone.localdate()
    response = admin_client.post(reverse("admin:newsletter_digest_propose"), {
        "period_start": today.isoformat(), "period_end": (today + dt.timedelta(days=30)).isoformat()})
    digest = Digest.objects.get()
    assert response.status_code == 302
    preview = admin_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk]))
    assert preview.status_code == 200 and b"Clusters &amp; skills" in preview.content
    admin_client.post(reverse("admin:newsletter_digest_test", args=[digest.pk]))
    assert [m["To"] for m in smtp.messages] == [organiser.email]
    assert smtp.messages[0]["Subject"].strip().startswith("[Test]")
    assert client_archive(admin_client, digest) == 404  # not public before it is sent
    admin_client.post(reverse("admin:newsletter_digest_send", args=[digest.pk]))
    assert smtp.to("reader@example.org")
    assert client_archive(admin_client, digest) == 200
    listing = admin_client.get(reverse("newsletter:archive")).content.decode()
    assert digest.get_absolute_url() in listing


def client_archive(client, digest):
    return client.get(digest.get_absolute_url()).status_code


def test_people_without_permission_cannot_see_subscribers_or_send(client, django_user_model,
                                                                  period_talks):
    staff = django_user_model.objects.create_user("helper", "h@example.org", "pw", is_staff=True)
    client.force_login(staff)
    digest = digest_for(period_talks)
    for name, args in [("admin:newsletter_subscriber_export", []),
                       ("admin:newsletter_subscriber_changelist", []),
                       ("admin:newsletter_digest_preview", [digest.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.post(reverse("admin:newsletter_digest_send", args=[digest.pk])).status_code == 403


def test_bounces_and_complaints_stop_further_mail(admin_client, client, bearer, smtp,
                                                  make_subscriber, period_talks):
    make_subscriber("bounced@example.org")
    make_subscriber("complained@example.org")
    make_subscriber("fine@example.org")
    response = client.post("/api/v1/newsletter/suppressions",
                           {"email": "bounced@example.org", "kind": "bounce", "note": "550"},
                           content_type="application/json", **bearer)
    assert response.status_code == 200 and response.json() == {"known": True}
    assert client.post("/api/v1/newsletter/suppressions", {"email": "x@example.org", "kind": "bounce"},
                       content_type="application/json").status_code == 401
    upload = _file("email,kind\ncomplained@example.org,complaint\nnobody@example.org,bounce\n")
    admin_client.post(reverse("admin:newsletter_subscriber_suppress"), {"file": upload})
    assert Subscriber.objects.get(email="complained@example.org").status == "complained"
    digests.start_sending(digest_for(period_talks))
    assert [m["To"] for m in smtp.messages] == ["fine@example.org"]


def _file(text, name="list.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_mailerlite_export_and_import_keep_consent_dates(admin_client, make_subscriber):
    consent = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    make_subscriber("ada@example.org", name="=HYPERLINK(evil)", consented_at=consent,
                    confirmed_at=consent)
    make_subscriber("pending@example.org", status=S.PENDING)
    csv_text = admin_client.get(reverse("admin:newsletter_subscriber_export")).content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0] == "Email,Name,Language,Subscribed,Confirmed"
    assert lines[1] == "ada@example.org,'=HYPERLINK(evil),en,2024-05-06 07:08:09,2024-05-06 07:08:09"
    assert len(lines) == 2  # only confirmed subscribers

    export = ("Subscriber,Name,Date subscribed,Location\n"
              "new@example.org,New Person,2023-01-02 03:04:05,BE\n"
              "ada@example.org,Ada,2020-01-01,BE\n"
              "bad\r\naddress,Bad,2020-01-01,BE\n"
              "unsub@example.org,U,2020-01-01,BE\n")
    make_subscriber("unsub@example.org", status=S.UNSUBSCRIBED)
    admin_client.post(reverse("admin:newsletter_subscriber_import"), {"file": _file(export)})
    new = Subscriber.objects.get(email="new@example.org")
    assert new.status == "confirmed" and new.source == "mailerlite"
    assert new.consented_at == dt.datetime(2023, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert Subscriber.objects.get(email="ada@example.org").consented_at == consent  # kept ours
    assert Subscriber.objects.get(email="unsub@example.org").status == "unsubscribed"
    done, skipped = exports.import_mailerlite(export.encode())
    assert done == 0 and skipped == 5  # the CR LF address splits into two bad rows


def test_alerts_for_a_new_talk_on_a_followed_topic_and_a_recording(make_talk, smtp,
                                                                    make_subscriber):
    from clustertalks.materials.services import publish_materials
    from clustertalks.registrations.models import Registration

    skills = Topic.objects.create(name="Skills")
    fan = make_subscriber("fan@example.org", follow="topics", alerts=True)
    fan.topics.add(skills)
    make_subscriber("quiet@example.org", follow="topics").topics.add(skills)  # no alerts
    make_subscriber("pending@example.org", status=S.PENDING, follow="topics", alerts=True)
    registrant = make_subscriber("registrant@example.org", alerts=True)
    make_talk("Old skills talk", start=timezone.now() - dt.timedelta(days=100)).topics.add(skills)
    talk = make_talk("Skills for clusters", status="draft",
                     start=timezone.now() + dt.timedelta(days=1))
    talk.topics.add(skills)
    talk.status = "published"
    talk.save()
    assert [m["To"] for m in smtp.messages] == ["fan@example.org"]
    Registration.objects.create(talk=talk, name="R", email=registrant.email, organisation="O",
                                country="BE", position="P", consented_at=timezone.now())
    Recording.objects.create(talk=talk, source="youtube", url="https://youtu.be/y")
    publish_materials(talk)
    recording_alerts = [m["To"] for m in smtp.messages if m["Subject"].strip().startswith("Recording")]
    assert recording_alerts == ["registrant@example.org"]
    assert all(m["List-Unsubscribe-Post"] for m in smtp.messages)
