from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareImage(models.Model):
    """The picture shown when a talk is shared (Open Graph, LinkedIn) or announced in a
    newsletter: drawn from the talk, or uploaded by an organiser to replace the drawing."""

    class Kind(models.TextChoices):
        SHARE = "share", _("Share image (1200 × 630)")
        BANNER = "banner", _("Newsletter banner (1600 × 600)")

    talk = models.ForeignKey(
        "talks.Talk", verbose_name=_("talk"), on_delete=models.CASCADE, related_name="share_images"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SHARE)
    image = models.ImageField(_("image"), upload_to="share/")
    source_hash = models.CharField(
        _("source fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of what the image was drawn from; a change redraws it."),
    )
    uploaded_by_organiser = models.BooleanField(
        _("uploaded by an organiser"),
        default=False,
        help_text=_("An uploaded image is kept as it is when the talk changes."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("share image")
        verbose_name_plural = _("share images")
        constraints = [
            models.UniqueConstraint(fields=["talk", "kind"], name="one_share_image_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.talk} ({self.get_kind_display()})"
