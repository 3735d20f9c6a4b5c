"""Background work: reminders, messages about a changed or cancelled talk, the follow-up,
and the anonymisation sweep. Each email has a deduplication key, so running a task twice (two
workers, a retry) never sends an email twice."""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from clustertalks.core import mail, periodic
from clustertalks.core.models import OutboundEmail
from clustertalks.talks.models import Talk

from . import services
from .emails import build, queue_registration_email
from .models import Registration, RegistrationPolicy

Status = Registration.Status
CHUNK = 500


def _queue_many(emails: list[OutboundEmail]) -> int:
    """Write the rows (skipping any whose key exists already); returns how many were new."""
    if not emails:
        return 0
    keys = [email.dedupe_key for email in emails]
    existing = set(OutboundEmail.objects.filter(dedupe_key__in=keys)
                   .values_list("dedupe_key", flat=True))
    fresh = [email for email in emails if email.dedupe_key not in existing]
    OutboundEmail.objects.bulk_create(fresh, batch_size=CHUNK, ignore_conflicts=True)
    return len(fresh)


def _email_registrations(registrations, kind: str, key_prefix: str, **extra) -> int:
    """Queue one email per registration, skipping those queued before (same key)."""
    queued, cache = 0, {}
    rows = registrations.select_related("talk__series").order_by("pk")
    last_pk = 0
    while True:
        chunk = list(rows.filter(pk__gt=last_pk)[:CHUNK])
        if not chunk:
            return queued
        last_pk = chunk[-1].pk
        keys = {r.pk: f"registrations:{key_prefix}:{r.pk}" for r in chunk}
        done = set(OutboundEmail.objects.filter(dedupe_key__in=keys.values())
                   .values_list("dedupe_key", flat=True))
        queued += _queue_many([build(r, kind, keys[r.pk], cache, **extra)
                               for r in chunk if keys[r.pk] not in done])


def max_reminder_offset() -> dt.timedelta:
    offsets = [dt.timedelta(hours=24)]
    for text in RegistrationPolicy.objects.values_list("reminders", flat=True):
        try:
            offsets.extend(services.parse_offsets(text))
        except ValueError:
            continue
    return max(offsets)


def due_offset(talk, policy, now) -> dt.timedelta | None:
    """The reminder that is due now: the smallest offset whose moment has come (when a worker
    was down, the older reminders are skipped rather than sent late together)."""
    due = [offset for offset in services.parse_offsets(policy.reminders)
           if talk.start - offset <= now < talk.start]
    return min(due) if due else None


@task()
def send_registration_email(registration_id: int, kind: str, extra: dict) -> bool:
    registration = (Registration.objects.select_related("talk__series")
                    .filter(pk=registration_id).first())
    if registration is None:
        return False
    return queue_registration_email(registration, kind, **extra) is not None


@periodic.every(minutes=1)
@task()
def send_due_reminders() -> int:
    """Queue and send the reminders that are due; unique per registration, offset and start."""
    now = timezone.now()
    talks = Talk.objects.filter(status=Talk.Status.PUBLISHED, start__gt=now,
                                start__lte=now + max_reminder_offset()).select_related("series")
    queued = 0
    for talk in talks:
        offset = due_offset(talk, services.policy_for(talk), now)
        if offset is None:
            continue
        remind_at = talk.start - offset
        registrations = Registration.objects.filter(talk=talk, status=Status.APPROVED).filter(
            Q(decided_at__lte=remind_at) | Q(decided_at__isnull=True))
        key = f"reminder:{int(offset.total_seconds())}:{int(talk.start.timestamp())}"
        queued += _email_registrations(registrations, "reminder", key,
                                       offset=offset)
    mail.deliver()
    return queued


@task()
def notify_talk_changed(talk_id: int, sequence: int) -> int:
    talk = Talk.objects.get(pk=talk_id)
    if talk.sequence != sequence or talk.status == Talk.Status.DRAFT:
        return 0  # a later change has its own task
    registrations = Registration.objects.filter(talk=talk, status=Status.APPROVED)
    queued = _email_registrations(registrations, "update", f"update:{sequence}")
    mail.deliver()
    return queued


@task()
def notify_talk_cancelled(talk_id: int, sequence: int) -> int:
    talk = Talk.objects.get(pk=talk_id)
    registrations = Registration.objects.filter(talk=talk, status__in=services.ACTIVE)
    queued = _email_registrations(registrations, "talk_cancelled", f"cancel:{sequence}")
    mail.deliver()
    return queued


@task()
def send_followup(talk_id: int) -> int:
    registrations = Registration.objects.filter(talk_id=talk_id, status=Status.APPROVED)
    queued = _email_registrations(registrations, "followup", "followup")
    mail.deliver()
    return queued


@periodic.every(hours=1)
@task()
def anonymise_old_registrations() -> int:
    return services.anonymise_old_registrations()
