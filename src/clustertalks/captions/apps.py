from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaptionsConfig(AppConfig):
    name = "clustertalks.captions"
    verbose_name = _("Automatic captions")

    def ready(self):
        from . import receivers  # noqa: F401 - transcribe new uploads
