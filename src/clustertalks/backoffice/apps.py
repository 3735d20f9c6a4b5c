from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class BackOfficeConfig(AppConfig):
    """Templates, static files and the date display of the back office."""

    default = True
    name = "clustertalks.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")

    def ready(self):
        from . import dates

        dates.install()


class BackOfficeAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site as the default: every `admin.register` lands on it."""

    default = False
    default_site = "clustertalks.backoffice.site.BackOfficeSite"
