from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SeriesAssignment(models.Model):
    """A series organiser's series: they reach all of it (talks, materials, registrations)
    and nothing of the other series."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="series_assignments",
    )
    series = models.ForeignKey(
        "talks.Series", verbose_name=_("series"), on_delete=models.CASCADE,
        related_name="assignments",
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        verbose_name = _("series organiser assignment")
        verbose_name_plural = _("series organiser assignments")
        ordering = ["series__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "series"], name="one_assignment_per_user_and_series")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.series}"
