"""How long the site keeps what it logs. The registrations room anonymises its own rows
(registrations.services.anonymise_old_registrations); this is the outgoing email log."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import OutboundEmail


def prune_mail_log(now=None) -> int:
    """Delete the email log rows queued more than MAIL_LOG_RETENTION_DAYS ago (0 keeps them
    forever). Returns how many were deleted."""
    days = settings.MAIL_LOG_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    deleted, _ = OutboundEmail.objects.filter(created_at__lt=cutoff).delete()
    return deleted
