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


class PeriodicRun(models.Model):
    """When each periodic sweep last ran: a worker runs a sweep only after winning its interval's
    slot here (a conditional UPDATE), so a sweep runs once per interval however many workers run."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    last_slot = models.BigIntegerField(_("last interval"), default=-1,
                                       help_text=_("Seconds since 1970 divided by the interval."))
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)

    class Meta:
        verbose_name = _("periodic sweep")
        verbose_name_plural = _("periodic sweeps")

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    """A running worker writes its heartbeat every WORKER_HEARTBEAT_SECONDS; a task left RUNNING
    by a worker that has gone silent is recovered."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    host = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
class RateLimitCount(models.Model):
    """Attempts counted in one window of one rate limit (core/ratelimit.py), when there is no
    Redis. The key is an HMAC: no address or email is stored in clear."""

    key = models.CharField(_("key"), max_length=80, primary_key=True)
    count = models.PositiveIntegerField(_("attempts"), default=1)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit count")
        verbose_name_plural = _("rate-limit counts")
