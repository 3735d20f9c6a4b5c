"""Background work of the core room: email delivery, the workers' housekeeping sweeps and the
email log's retention."""

from django_tasks import task

from . import delivery, mail, periodic, ratelimit, retention


@task()
def deliver_email(email_id: int) -> int:
    return mail.deliver(ids=[email_id])


@task()
def deliver_due_emails() -> int:
    """Sends every queued email that is due (the worker also does this whenever it is idle)."""
    return mail.deliver()


@task()
def deliver_due_messages() -> int:
    """Every registered outbox (emails, webhook deliveries), for `worker --batch` and cron."""
    return delivery.deliver_all()


@periodic.every(minutes=1)
@task()
def recover_stuck_tasks() -> dict:
    return periodic.recover_stuck()


@periodic.every(hours=6)
@task()
def prune_task_results() -> int:
    return periodic.prune_results()


@periodic.every(hours=1)
@task()
def sweep_retention() -> int:
    """Hourly: the email log past its retention period, and rate-limit counts of past windows."""
    return retention.prune_mail_log() + ratelimit.prune()
