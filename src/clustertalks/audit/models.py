from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One thing somebody did: who, through what, which action on what, and when.

    Written by the tracking signals (created, changed, deleted, and the refined verbs such as
    published) and by explicit calls (merged, exported, imported, revoked). Never edited; removed
    only by the retention sweep (AUDIT_RETENTION_DAYS)."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")
        PUBLISHED = "published", _("published")
        UNPUBLISHED = "unpublished", _("unpublished")
        MERGED = "merged", _("merged")
        EXPORTED = "exported", _("exported")
        IMPORTED = "imported", _("imported")
        REVOKED = "revoked", _("revoked")

    class Via(models.TextChoices):
        BACK_OFFICE = "admin", _("back office")
        API = "api", _("API")
        SITE = "site", _("public site")
        SYSTEM = "system", _("command line or worker")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True,
                                  help_text=_("Kept when the account is deleted."))
    via = models.CharField(_("through"), max_length=10, choices=Via.choices)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("what"), max_length=200, blank=True)
    changes = models.JSONField(
        _("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder,
        help_text=_("Field: [before, after]. Personal data is recorded by field name only."),
    )
    detail = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_name or '—'} {self.get_action_display()} {self.object_repr}"
