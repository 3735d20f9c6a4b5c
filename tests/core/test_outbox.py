"""The outbound email log against a real SMTP server: retries with backoff, nothing lost, nothing
sent twice."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from clustertalks.core import delivery, mail
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


def test_a_claimed_row_is_not_taken_by_a_second_worker(settings):
    OutboundEmail.objects.create(to="a@example.org", kind="t", subject="s", body_text="b")
    first = delivery.claim_one(mail.outbox())
    second = delivery.claim_one(mail.outbox())
    assert first is not None and second is None
    assert (first.status, first.attempts) == ("sending", 1)
    OutboundEmail.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert delivery.claim_one(mail.outbox()) is not None  # the lease ran out: taken again


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs (not caught as an ordinary failure)."""


def test_a_worker_killed_mid_pass_leaves_only_the_message_it_was_on(smtp, settings):  # noqa: F811
    """Each message is marked sent on its own: the killed pass re-sends at most one, and every
    other message is sent by the next worker at once (not after a lease)."""
    settings.DELIVERY_LEASE_SECONDS = 60
    for i in range(10):
        OutboundEmail.objects.create(to=f"p{i}@example.org", kind="t", subject=f"S{i}", body_text="b")
    sent = []

    class DiesOnTheFifth(mail.SmtpSender):
        def send(self, email):
            result = super().send(email)  # delivered to the server...
            sent.append(email.pk)
            if len(sent) == 5:
                raise WorkerKilled  # ...and killed before recording it
            return result

    outbox = dataclasses.replace(mail.outbox(), open_sender=DiesOnTheFifth)
    with pytest.raises(WorkerKilled):
        delivery.deliver(outbox)
    statuses = dict(OutboundEmail.objects.values_list("pk", "status"))
    assert sorted(statuses.values()).count("sent") == 4
    assert statuses[sent[-1]] == "sending"  # leased to the dead worker
    assert mail.deliver() == 5  # the five others, right away
    assert len(smtp.messages) == 10
    later = timezone.now() + dt.timedelta(seconds=61)
    assert delivery.deliver(mail.outbox(), now=later) == 1  # after the lease: the one duplicate
    assert len(smtp.messages) == 11 and len({m["To"] for m in smtp.messages}) == 10


def test_a_message_whose_workers_keep_dying_is_given_up(settings):
    email = OutboundEmail.objects.create(to="a@example.org", kind="t", subject="s", body_text="b",
                                         attempts=mail.MAX_ATTEMPTS, status="sending")
    assert delivery.claim_one(mail.outbox()) is None
    email.refresh_from_db()
    assert email.status == "failed" and "worker stopped" in email.last_error


def test_an_unreachable_server_ends_the_pass_after_one_try(settings):
    """The other emails wait for the next pass instead of each waiting for the timeout."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    for i in range(3):
        OutboundEmail.objects.create(to=f"p{i}@example.org", kind="t", subject="s", body_text="b")
    assert mail.deliver() == 0
    assert sorted(OutboundEmail.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"queued"}


def test_a_blackholed_server_times_out_and_the_pass_moves_on(settings):
    """The server accepts the connection and never answers: EMAIL_TIMEOUT bounds the wait."""
    import socket
    import time

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 1
        for i in range(3):
            OutboundEmail.objects.create(to=f"p{i}@example.org", kind="t", subject="s", body_text="b")
        started = time.monotonic()
        assert mail.deliver() == 0
        assert time.monotonic() - started < 4
    row = OutboundEmail.objects.filter(attempts=1).get()
    assert row.status == "queued" and "timed out" in row.last_error


def test_email_timeout_is_set_by_default():
    from django.conf import settings

    assert settings.EMAIL_TIMEOUT and settings.EMAIL_TIMEOUT <= 60


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
