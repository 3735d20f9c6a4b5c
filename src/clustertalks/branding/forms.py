from django import forms
from django.utils.translation import gettext_lazy as _

from . import uploads
from .models import Identity

COLOUR_FIELDS = ("primary_colour", "primary_text_colour", "accent_colour", "accent_text_colour")


class IdentityForm(forms.ModelForm):
    """The identity as organisers edit it: pictures checked by content and size, colours by
    contrast (Identity.clean), each error next to its field."""

    class Meta:
        model = Identity
        fields = (
            "series", "name", "introduction", "logo", "primary_colour", "primary_text_colour",
            "accent_colour", "accent_text_colour", "hero_image", "hero_image_alt", "is_site_identity",
        )
        widgets = {name: forms.TextInput(attrs={"type": "color"}) for name in COLOUR_FIELDS} | {
            "introduction": forms.Textarea(attrs={"rows": 4}),
        }

    def _uploaded(self, name):
        value = self.cleaned_data.get(name)
        return value if value and hasattr(value, "content_type") else None  # a new upload, not the stored file

    def clean_logo(self):
        upload = self._uploaded("logo")
        if upload:
            kind = uploads.check_logo(upload)
            if kind == "svg" and not upload.name.lower().endswith(".svg"):
                upload.name = f"{upload.name.rsplit('.', 1)[0]}.svg"
        return self.cleaned_data.get("logo")

    def clean_hero_image(self):
        upload = self._uploaded("hero_image")
        if upload:
            uploads.check_hero(upload)
        return self.cleaned_data.get("hero_image")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_site_identity"):
            others = Identity.objects.filter(is_site_identity=True)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "is_site_identity",
                    _("Another series' identity is the site's already: untick it there first."),
                )
        return cleaned
