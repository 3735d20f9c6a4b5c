"""Outgoing email: queue a row now, deliver it from the task worker later.

A web request only ever writes `OutboundEmail` rows; the worker sends them through the delivery
engine (core/delivery.py): one message claimed at a time, marked sent on its own, retried with an
exponential backoff. SMTP waits are bounded by EMAIL_TIMEOUT (set by default in settings).
"""

import datetime as dt
import logging
import smtplib
from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from . import delivery
from .models import OutboundEmail

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# 1, 2, 4, 8... minutes after each failure, at most one hour.
backoff = delivery.exponential_backoff(dt.timedelta(minutes=1), dt.timedelta(hours=1))


def render_email(template_base: str, context: dict, language: str = "") -> dict:
    """Subject, plain text and HTML from `<base>_subject.txt`, `<base>.txt`, `<base>.html`,
    in `language` when the site offers it (else English: core.language_choice)."""
    from clustertalks.core.language_choice import offered_or_default

    with translation.override(offered_or_default(language)):
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


# The server answered, and refused this one message; anything else (refused connection, timeout,
# disconnection, greeting or login refused) means the server is not usable right now.
MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class SmtpSender:
    """One SMTP connection, opened on the first message and kept for the pass. A server that
    cannot be reached, or stops answering (EMAIL_TIMEOUT), is a `ChannelDown`; a message the
    server refuses is that message's failure only."""

    def __init__(self):
        self.connection = None

    def __enter__(self):
        return self.send

    def __exit__(self, *exc):
        self._close()

    def _close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception as error:  # noqa: BLE001 - closing a broken connection loses nothing
                log.info("Closing the SMTP connection failed: %s", error)
            self.connection = None

    def send(self, email: OutboundEmail) -> dict:
        try:
            if self.connection is None:
                self.connection = get_connection(fail_silently=False)
                self.connection.open()
            self.connection.send_messages([build_message(email, self.connection)])
        except MESSAGE_REFUSED:
            raise  # the server answered "no" to this message: its own failure
        except (OSError, smtplib.SMTPException) as error:  # unreachable, timed out, disconnected
            self._close()
            raise delivery.ChannelDown(delivery.describe(error)) from error
        return {}


def outbox() -> delivery.Outbox:
    Status = OutboundEmail.Status
    return delivery.Outbox(
        name="email", model=OutboundEmail, open_sender=SmtpSender,
        waiting=(Status.QUEUED,), sending=Status.SENDING, done=Status.SENT, failed=Status.FAILED,
        done_at_field="sent_at", max_attempts=lambda: MAX_ATTEMPTS, backoff=backoff,
    )


delivery.register("email", outbox)


def deliver(ids=None) -> int:
    """Send due emails (only `ids` when given), one at a time; returns how many were sent."""
    return delivery.deliver(outbox(), ids)
