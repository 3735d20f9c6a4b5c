"""Open formats: personal API tokens, webhook endpoints and their delivery log, and the
mapping that makes imports idempotent."""

import base64
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A personal token. Only a SHA-256 digest of its secret is stored (see services.py)."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(_("secret digest"), max_length=64, editable=False)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} (ct_{self.prefix}_…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


def http_url_validator():
    return URLValidator(schemes=["http", "https"])


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    class Event(models.TextChoices):
        TALK_PUBLISHED = "talk.published", _("Talk published")
        TALK_UPDATED = "talk.updated", _("Talk updated (time, place, title or status)")
        TALK_CANCELLED = "talk.cancelled", _("Talk cancelled")
        MATERIALS_PUBLISHED = "materials.published", _("Materials published")
        REGISTRATION_CREATED = "registration.created", _("Registration created")

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(
        _("address"), max_length=500, validators=[http_url_validator()],
        help_text=_("An http(s) address that accepts POST requests with a JSON body."),
    )
    events = models.JSONField(_("events"), default=list, blank=True)
    secret = models.CharField(
        _("signing secret"), max_length=100, default=new_webhook_secret,
        help_text=_("Signs every delivery (Standard Webhooks, HMAC-SHA256). Share it with the receiver."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return self.active and event in (self.events or [])

    def clean(self):
        """Refuse addresses on the server's own or a private network (checked again when
        sending, see core/outbound.py), unless an administrator allowed the host."""
        from clustertalks.core import outbound

        if not self.url or not self.url.lower().startswith(("http://", "https://")):
            return  # the field's own validation reports it
        try:
            outbound.check_public_url(self.url, getattr(settings, "WEBHOOK_ALLOWED_HOSTS", ()))
        except outbound.BlockedAddress as error:
            raise ValidationError({"url": str(error)}, code="blocked_address") from error


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Given up")

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE,
        related_name="deliveries",
    )
    event = models.CharField(_("event"), max_length=40)
    event_id = models.UUIDField(_("event id"), help_text=_("The same for every endpoint told of one event."))
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True, db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class ImportedTalk(models.Model):
    """Where an imported talk came from, so importing the same source again updates it."""

    source = models.CharField(_("source"), max_length=20, help_text=_("ics, csv or json."))
    external_id = models.CharField(_("external id"), max_length=255)
    talk = models.ForeignKey(
        "talks.Talk", verbose_name=_("talk"), on_delete=models.CASCADE, related_name="imports"
    )
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported talk")
        verbose_name_plural = _("imported talks")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="one_talk_per_external_id")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"
