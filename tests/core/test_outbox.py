"""The outbound email log against a real SMTP server: retries with backoff, nothing lost, nothing
sent twice."""

import datetime as dt

import pytest
from django.utils import timezone

from clustertalks.core import mail
from clustertalks.core.models import OutboundEmail
from clustertalks.core.tasks import deliver_due_emails
from tests.registrations.conftest import Inbox, free_port, smtp  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def queue(n=1, **fields):
    for i in range(n):
        mail.queue_email(to=f"p{i}@example.org", kind="test", subject=f"Hello {i}",
                         body_text="Hi", body_html="<p>Hi</p>", **fields)


def test_a_queued_email_is_sent_and_recorded(smtp):  # noqa: F811
    queue()
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None
    assert smtp.subjects() == ["Hello 0"]


def test_smtp_down_nothing_lost_then_sent_once(smtp, monkeypatch):  # noqa: F811
    smtp.refuse = True
    queue(3)
    rows = list(OutboundEmail.objects.all())
    assert {r.status for r in rows} == {"queued"} and {r.attempts for r in rows} == {1}
    assert all("451" in r.last_error for r in rows)
    assert deliver_due_emails.call() == 0  # not due yet: backoff
    smtp.refuse = False
    later = timezone.now() + dt.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert deliver_due_emails.call() == 3
    assert deliver_due_emails.call() == 0
    assert sorted(smtp.subjects()) == ["Hello 0", "Hello 1", "Hello 2"]
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_a_server_that_does_not_answer_is_retried_with_growing_backoff(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    queue()
    row = OutboundEmail.objects.get()
    assert row.status == "queued" and row.attempts == 1 and row.last_error
    delays = [mail.backoff(n).total_seconds() for n in range(1, 10)]
    assert delays == sorted(delays) and delays[0] == 60 and delays[-1] == 3600


def test_after_max_attempts_the_email_is_failed(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    queue()
    OutboundEmail.objects.update(attempts=mail.MAX_ATTEMPTS - 1, next_attempt_at=timezone.now())
    deliver_due_emails.call()
    assert OutboundEmail.objects.get().status == "failed"


def test_a_dedupe_key_queues_only_once(smtp):  # noqa: F811
    queue(dedupe_key="reminder:1")
    mail.queue_email(to="x@example.org", kind="t", subject="again", body_text="x",
                     dedupe_key="reminder:1")
    assert OutboundEmail.objects.count() == 1
    assert smtp.subjects() == ["Hello 0"]


def test_a_claimed_row_is_not_taken_by_a_second_worker(smtp, settings):  # noqa: F811
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.create(to="a@example.org", kind="t", subject="s", body_text="b")
    first = mail.claim()
    second = mail.claim()
    assert len(first) == 1 and second == []
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert len(mail.claim()) == 1  # the lease ran out: a crashed worker's row is taken again


def test_the_outbox_is_in_the_back_office(admin_client, smtp):  # noqa: F811
    queue()
    page = admin_client.get("/admin/core/outboundemail/")
    assert page.status_code == 200 and "p0@example.org" in page.content.decode()


def test_the_outbox_is_a_read_only_log(admin_client, smtp):  # noqa: F811
    queue()
    row = OutboundEmail.objects.get()
    assert admin_client.get("/admin/core/outboundemail/add/").status_code == 403
    detail = admin_client.get(f"/admin/core/outboundemail/{row.pk}/change/")
    assert detail.status_code == 200 and row.subject in detail.content.decode()
    edit = admin_client.post(f"/admin/core/outboundemail/{row.pk}/change/", {"subject": "x"})
    assert edit.status_code == 403
    row.refresh_from_db()
    assert row.subject != "x"
