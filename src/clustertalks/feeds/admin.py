from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from clustertalks.roles.admin import SeriesScopedAdmin

from . import images, share_images
from .models import ShareImage


class ShareImageForm(forms.ModelForm):
    """An organiser's own picture: checked, then cropped to fill the size of its kind."""

    upload = forms.FileField(
        label=_("Your image"),
        help_text=_(
            "PNG, JPEG, WebP or GIF, 10 MB at most. It is cropped to fill 1200 × 630 (share "
            "image) or 1600 × 600 (banner) and kept when the talk changes. Delete this row to "
            "go back to the generated image."
        ),
    )

    class Meta:
        model = ShareImage
        fields = ("talk", "kind")

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("upload"), cleaned.get("kind")
        if upload and kind:
            try:
                images.fit_upload(upload, kind)
            except images.UploadError as error:
                self.add_error("upload", str(error))
        if not self.instance.pk and cleaned.get("talk") and kind:
            # An upload for a talk and kind that already has an image replaces that image.
            existing = ShareImage.objects.filter(talk=cleaned["talk"], kind=kind).first()
            self.instance = existing or self.instance
        return cleaned


@admin.register(ShareImage)
class ShareImageAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    form = ShareImageForm
    list_display = ("talk", "kind", "uploaded_by_organiser", "updated_at")
    list_filter = ("kind", "uploaded_by_organiser")
    autocomplete_fields = ("talk",)
    search_fields = ("talk__title",)
    readonly_fields = ("preview",)

    @admin.display(description=_("current image"))
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "—"
        return format_html('<img src="{}" alt="" width="400">', obj.image.url)

    def get_fields(self, request, obj=None):
        return ("talk", "kind", "upload", "preview")

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["upload"]
        stored = share_images.replace_with_upload(obj.talk, obj.kind, upload)
        obj.pk = stored.pk
        obj.image = stored.image
