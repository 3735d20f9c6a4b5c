"""Background work of the core room: email delivery and the email log's retention."""

from django_tasks import task

from . import mail, ratelimit, retention


@task()
def deliver_email(email_id: int) -> int:
    return mail.deliver(ids=[email_id])


@task()
def deliver_due_emails() -> int:
    """The retry sweep: sends every queued email whose next attempt is due."""
    return mail.deliver()


@task()
def sweep_retention() -> int:
    """Hourly: the email log past its retention period, and rate-limit counts of past windows."""
    return retention.prune_mail_log() + ratelimit.prune()
