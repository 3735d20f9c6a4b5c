from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandingConfig(AppConfig):
    name = "clustertalks.branding"
    verbose_name = _("Identity")
    default_auto_field = "django.db.models.BigAutoField"
