"""The attendee's rights over their registration (EU Regulation 2018/1725 and the GDPR): see
everything stored about it (a JSON download), correct it, and erase it. The link in the emails
is the proof of identity: it was sent to the registered address."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clustertalks.core.links import absolute_url
from clustertalks.core.models import OutboundEmail
from clustertalks.talks.models import Talk

from . import services
from .models import Registration

Status = Registration.Status
EXPORT_FORMAT = "clustertalks-registration/1"
# Fields of the registration that describe the person or their choices, exported as stored.
PERSONAL_FIELDS = ["name", "email", "organisation", "organisation_type", "position", "language",
                   "time_zone", "newsletter", "objects_to_recording"]
EVENT_FIELDS = ["consented_at", "created_at", "decided_at", "cancelled_at"]


def emails_about(registration: Registration):
    """The email log rows of this registration: each carries its secret token in its links."""
    return OutboundEmail.objects.filter(to=registration.email,
                                        body_text__contains=registration.token)


def _instant(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def export(registration: Registration, now=None) -> dict:
    """Everything stored about this registration, in plain JSON types. The secret token is left
    out: it is a key, not information about the person."""
    talk = registration.talk
    data = {field: getattr(registration, field) for field in PERSONAL_FIELDS}
    data["country"] = registration.country.code
    data["status"] = registration.status
    data["attended"] = registration.attended
    data.update({field: _instant(getattr(registration, field)) for field in EVENT_FIELDS})
    return {
        "format": EXPORT_FORMAT,
        "exported_at": (now or timezone.now()).isoformat(),
        # A talk put back to draft is shown to nobody, not even by its title.
        "talk": {"title": talk.title, "start": talk.start.isoformat(),
                 "url": absolute_url(talk.get_absolute_url())} if talk.is_public else None,
        "registration": data,
        "emails": [
            {"kind": row.kind, "to": row.to, "subject": row.subject, "status": row.status,
             "queued_at": _instant(row.created_at), "sent_at": _instant(row.sent_at)}
            for row in emails_about(registration).order_by("created_at", "pk")
        ],
        "retention": {
            "registration_anonymised_months_after_talk": settings.REGISTRATION_RETENTION_MONTHS,
            "email_log_deleted_days_after_queueing": settings.MAIL_LOG_RETENTION_DAYS,
        },
    }


def erase(registration: Registration) -> bool:
    """Delete the registration and its email log rows. A place it held goes to the first person
    on the waiting list. No email is sent: nothing about the person may be kept, not even the
    record of a goodbye. Returns False when it was gone already (a replayed form)."""
    with transaction.atomic():
        talk = Talk.objects.select_for_update().get(pk=registration.talk_id)
        current = Registration.objects.select_for_update().filter(pk=registration.pk).first()
        if current is None:
            return False
        held_a_place = current.status == Status.APPROVED
        emails_about(current).delete()
        current.delete()
        if held_a_place:
            transaction.on_commit(lambda: services.promote_waitlist(talk))
    return True

