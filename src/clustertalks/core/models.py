"""The outbound email log: every email the site sends is a row, written before it is sent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40, help_text=_("What the email is, e.g. reminder."))
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=120,
        unique=True,
        null=True,
        blank=True,
        help_text=_("At most one email per key: a reminder is never queued twice."),
    )
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=250)
    body_text = models.TextField(_("plain-text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    calendar = models.TextField(_("calendar attachment"), blank=True, help_text=_("iCalendar text."))
    calendar_method = models.CharField(_("calendar method"), max_length=10, blank=True)
    headers = models.JSONField(
        _("extra headers"), default=dict, blank=True,
        help_text=_("For example List-Unsubscribe on newsletter emails."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now, db_index=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("email outbox")

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
