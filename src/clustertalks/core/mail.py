"""Outgoing email: queue a row now, deliver it from the task worker later.

A web request only ever writes `OutboundEmail` rows; the worker claims due rows, sends them over
one SMTP connection per batch and records the outcome. A failed send is retried with an
exponential backoff; a claimed row carries a lease, so a worker that dies mid-batch leaves rows
that another worker picks up once the lease has run out.
"""

import datetime as dt
import logging
from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
LEASE = dt.timedelta(minutes=10)
BATCH_SIZE = 200


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8... minutes after each failure, at most one hour."""
    return dt.timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


def render_email(template_base: str, context: dict, language: str = "") -> dict:
    """Subject, plain text and HTML from `<base>_subject.txt`, `<base>.txt`, `<base>.html`,
    in `language` when the site has it."""
    with translation.override(language or None):
        subject = render_to_string(f"{template_base}_subject.txt", context)
        return {
            "subject": " ".join(subject.split())[:250],
            "body_text": render_to_string(f"{template_base}.txt", context),
            "body_html": render_to_string(f"{template_base}.html", context),
        }


def queue_email(*, to: str, kind: str, subject: str, body_text: str, body_html: str = "",
                calendar: bytes | str = b"", calendar_method: str = "",
                dedupe_key: str | None = None, headers: dict | None = None) -> OutboundEmail | None:
    """Write the email row and ask the worker to send it once the transaction commits.
    Returns None when an email with the same `dedupe_key` exists already."""
    if isinstance(calendar, bytes):
        calendar = calendar.decode()
    fields = {"to": to, "kind": kind, "subject": subject, "body_text": body_text,
              "body_html": body_html, "calendar": calendar, "calendar_method": calendar_method,
              "headers": headers or {}}
    if dedupe_key:
        email, created = OutboundEmail.objects.get_or_create(dedupe_key=dedupe_key, defaults=fields)
        if not created:
            return None
    else:
        email = OutboundEmail.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue_delivery(email.pk))
    return email


def _enqueue_delivery(email_id: int) -> None:
    from .tasks import deliver_email

    deliver_email.enqueue(email_id)


def build_message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body_text, to=[email.to], connection=connection,
        headers={**(email.headers or {}), "X-Clustertalks-Email": str(email.pk)},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.calendar:
        part = MIMEText(email.calendar, "calendar", "utf-8")
        if email.calendar_method:
            part.set_param("method", email.calendar_method)
        part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
        message.attach(part)
    return message


def _due(now) -> Q:
    claimable = Q(status=OutboundEmail.Status.QUEUED) | Q(status=OutboundEmail.Status.SENDING)
    return claimable & Q(next_attempt_at__lte=now)


def claim(ids=None, limit: int = BATCH_SIZE) -> list[OutboundEmail]:
    """Take due emails for this worker (rows locked by another worker are skipped)."""
    now = timezone.now()
    with transaction.atomic():
        rows = OutboundEmail.objects.filter(_due(now))
        if ids is not None:
            rows = rows.filter(pk__in=ids)
        chosen = list(
            rows.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        OutboundEmail.objects.filter(pk__in=chosen).update(
            status=OutboundEmail.Status.SENDING, attempts=F("attempts") + 1,
            next_attempt_at=now + LEASE,
        )
    return list(OutboundEmail.objects.filter(pk__in=chosen).order_by("pk"))


def _record_failure(email: OutboundEmail, error: Exception) -> None:
    failed = email.attempts >= MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.FAILED if failed else OutboundEmail.Status.QUEUED,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now() + backoff(email.attempts),
    )
    log.warning("Email %s to %s failed (attempt %s): %s", email.pk, email.to, email.attempts, error)


SENT_FLUSH_EVERY = 50


def _mark_sent(ids: list[int]) -> None:
    if ids:
        OutboundEmail.objects.filter(pk__in=ids).update(
            status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error="",
        )
        ids.clear()


def send_claimed(emails: list[OutboundEmail]) -> int:
    """Send the claimed emails over one connection; returns how many were sent.

    Sent rows are recorded in groups of SENT_FLUSH_EVERY (one write instead of fifty); a worker
    killed inside a group leaves those rows claimed, and they are sent again once the lease ends.
    """
    if not emails:
        return 0
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # noqa: BLE001 - server down: every email waits for its next attempt
        for email in emails:
            _record_failure(email, error)
        return 0
    sent, pending = 0, []
    try:
        for email in emails:
            try:
                connection.send_messages([build_message(email, connection)])
            except Exception as error:  # noqa: BLE001 - one refused email must not stop the batch
                _record_failure(email, error)
                continue
            pending.append(email.pk)
            sent += 1
            if len(pending) >= SENT_FLUSH_EVERY:
                _mark_sent(pending)
    finally:
        _mark_sent(pending)
        try:
            connection.close()
        except Exception as error:  # noqa: BLE001 - closing a broken connection loses nothing
            log.info("Closing the SMTP connection failed: %s", error)
    return sent


def deliver(ids=None) -> int:
    """Send due emails (only `ids` when given), batch after batch; returns how many were sent."""
    total = 0
    while True:
        batch = claim(ids)
        if not batch:
            return total
        total += send_claimed(batch)
        if ids is not None:
            return total
