from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "clustertalks.registrations"
    label = "registrations"
    verbose_name = _("Registrations")

    def ready(self):
        from clustertalks.core import events

        from . import receivers

        events.talk_changed.connect(receivers.on_talk_changed, dispatch_uid="registrations.changed")
        events.talk_cancelled.connect(receivers.on_talk_cancelled,
                                      dispatch_uid="registrations.cancelled")
        events.materials_published.connect(receivers.on_materials_published,
                                           dispatch_uid="registrations.materials")
