"""A series' identity: what makes its pages, images and emails recognisably its own."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import colours

# Made by the worker (branding/tasks.py) from the uploads; empty until then, and pages show the
# original meanwhile. Hero: WebP this many pixels wide (never enlarged); a raster logo: WebP this
# many pixels high, for the 40 px header mark at 1x and 2x. An SVG logo is shown as it is.
HERO_WIDTHS = (800, 1600)
LOGO_HEIGHTS = (40, 80)
HERO_RENDITIONS = tuple(f"hero_{width}" for width in HERO_WIDTHS)
LOGO_RENDITIONS = tuple(f"logo_{height}" for height in LOGO_HEIGHTS)
RENDITIONS_OF = {"hero_image": HERO_RENDITIONS, "logo": LOGO_RENDITIONS}


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
    hero_800 = models.ImageField(upload_to="identity/renditions/", blank=True, editable=False)
    hero_1600 = models.ImageField(upload_to="identity/renditions/", blank=True, editable=False)
    hero_width = models.PositiveIntegerField(default=0, editable=False)  # of hero_1600
    hero_height = models.PositiveIntegerField(default=0, editable=False)
    logo_40 = models.ImageField(upload_to="identity/renditions/", blank=True, editable=False)
    logo_80 = models.ImageField(upload_to="identity/renditions/", blank=True, editable=False)
    logo_width = models.PositiveIntegerField(default=0, editable=False)  # of logo_80
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

    @classmethod
    def from_db(cls, db, field_names, values):
        identity = super().from_db(db, field_names, values)
        identity._stored_pictures = {
            # None: the field was deferred, so this instance cannot have changed it
            name: (getattr(identity.__dict__[name], "name", identity.__dict__[name]) or "")
            if name in identity.__dict__ else None
            for name in RENDITIONS_OF
        }
        return identity

    def save(self, *args, **kwargs):
        """When the logo or hero image changes, drops its renditions (files deleted after
        commit) and asks the worker for new ones; pages show the upload meanwhile."""
        stored = getattr(self, "_stored_pictures", {})
        changed = [name for name in RENDITIONS_OF
                   if stored.get(name, "") is not None and (getattr(self, name).name or "") != stored.get(name, "")]
        old_files = []
        for name in changed:
            for field in RENDITIONS_OF[name]:
                if getattr(self, field):
                    old_files.append(getattr(self, field).name)
                setattr(self, field, "")
        if "hero_image" in changed:
            self.hero_width = self.hero_height = 0
        if "logo" in changed:
            self.logo_width = 0
        if kwargs.get("update_fields") is not None and changed:
            extra = [field for name in changed for field in RENDITIONS_OF[name]]
            extra += ["hero_width", "hero_height"] if "hero_image" in changed else []
            extra += ["logo_width"] if "logo" in changed else []
            kwargs["update_fields"] = {*kwargs["update_fields"], *extra}
        super().save(*args, **kwargs)
        self._stored_pictures = {name: (getattr(self, name).name or "") if name in self.__dict__ else None
                                 for name in RENDITIONS_OF}
        if old_files:
            storage = self.hero_image.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
        from .tasks import enqueue_renditions

        for name in changed:
            if getattr(self, name):
                enqueue_renditions(self.pk, name, getattr(self, name).name)

    @property
    def hero_srcset(self) -> str:
        """"<800 url> 800w, <1600 url> 1600w" once the worker made them (one entry when the
        upload is narrower than 800 px), else ""."""
        if not (self.hero_800 and self.hero_1600 and self.hero_width):
            return ""
        small = min(HERO_WIDTHS[0], self.hero_width)
        if small == self.hero_width:
            return f"{self.hero_1600.url} {self.hero_width}w"
        return f"{self.hero_800.url} {small}w, {self.hero_1600.url} {self.hero_width}w"

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
