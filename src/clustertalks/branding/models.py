"""A series' identity: what makes its pages, images and emails recognisably its own."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import colours


def colour_field(label, default, help_text=""):
    return models.CharField(label, max_length=7, default=default, help_text=help_text or _("Hex colour, e.g. #004494."))


class Identity(models.Model):
    series = models.OneToOneField(
        "talks.Series", verbose_name=_("series"), on_delete=models.CASCADE, related_name="identity"
    )
    name = models.CharField(
        _("display name"), max_length=120, blank=True,
        help_text=_("Shown in the header, the share images and the emails. Empty: the series' name."),
    )
    introduction = models.TextField(
        _("introduction"), max_length=800, blank=True,
        help_text=_("Two or three sentences opening the home page (Markdown, 800 characters at most)."),
    )
    logo = models.FileField(
        _("logo"), upload_to="identity", blank=True,
        help_text=_("SVG (no scripts), PNG, JPEG or WebP; 512 KB at most. Shown beside the name."),
    )
    primary_colour = colour_field(_("primary colour"), "#004494")
    primary_text_colour = colour_field(
        _("text on the primary colour"), "#ffffff", _("Must reach a contrast of 4.5:1 with the primary colour.")
    )
    accent_colour = colour_field(_("accent colour"), "#ffd617")
    accent_text_colour = colour_field(
        _("text on the accent colour"), "#1b1f24", _("Must reach a contrast of 4.5:1 with the accent colour.")
    )
    hero_image = models.FileField(
        _("hero image"), upload_to="identity", blank=True,
        help_text=_("PNG, JPEG or WebP, at least 600 pixels wide, 5 MB at most; shown beside the introduction."),
    )
    hero_image_alt = models.CharField(
        _("hero image description"), max_length=250, blank=True,
        help_text=_("What the picture shows, for people who cannot see it. Empty if it is decorative."),
    )
    is_site_identity = models.BooleanField(
        _("identity of the whole site"), default=False,
        help_text=_("Its name, logo and colours head every page and its introduction opens the home page."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(
                fields=["is_site_identity"], condition=Q(is_site_identity=True), name="one_site_identity"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.series.name

    def clean(self):
        errors = {}
        for field in ("primary_colour", "primary_text_colour", "accent_colour", "accent_text_colour"):
            value = getattr(self, field)
            if not colours.is_hex(value):
                errors[field] = _("Write the colour as # and six hexadecimal digits, e.g. #004494.")
            else:
                setattr(self, field, value.lower())
        for background, text in (("primary_colour", "primary_text_colour"), ("accent_colour", "accent_text_colour")):
            if background in errors or text in errors:
                continue
            ratio = colours.contrast(getattr(self, background), getattr(self, text))
            if ratio < colours.MIN_TEXT_CONTRAST:
                errors[text] = _(
                    "Text in %(text)s on %(background)s has a contrast of %(ratio).2f:1; at least 4.5:1 is "
                    "needed so that everybody can read it. Choose a darker or lighter colour."
                ) % {"text": getattr(self, text), "background": getattr(self, background), "ratio": ratio}
        if errors:
            raise ValidationError(errors)
