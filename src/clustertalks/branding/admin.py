from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from clustertalks.roles.admin import SeriesScopedAdmin

from .forms import IdentityForm
from .models import Identity

FIELDSETS = (
    (None, {"fields": ("name", "introduction", "logo", "is_site_identity")}),
    (
        _("Colours"),
        {
            "fields": (("primary_colour", "primary_text_colour"), ("accent_colour", "accent_text_colour")),
            "description": _(
                "The primary colour heads the home page and the share images; the accent colour marks "
                "the Register buttons. Text on each must reach a contrast of 4.5:1 (WCAG 2.1 AA)."
            ),
        },
    ),
    (_("Hero image"), {"fields": ("hero_image", "hero_image_alt")}),
)


class IdentityInline(admin.StackedInline):
    """On the series' page in the back office: its identity, edited with the series."""

    model = Identity
    form = IdentityForm
    fieldsets = FIELDSETS
    can_delete = True
    extra = 0
    max_num = 1
    verbose_name_plural = _("identity (name, logo, colours, introduction, hero image)")


@admin.register(Identity)
class IdentityAdmin(SeriesScopedAdmin, admin.ModelAdmin):
    form = IdentityForm
    list_display = ("__str__", "series", "is_site_identity", "updated_at")
    fieldsets = ((None, {"fields": ("series",)}),) + FIELDSETS
