from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "clustertalks.api"
    label = "api"
    verbose_name = _("API and webhooks")

    def ready(self):
        from . import webhooks

        webhooks.connect()
