from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "clustertalks.newsletter"
    label = "newsletter"
    verbose_name = _("Newsletter")

    def ready(self):
        from clustertalks.core import events

        from . import receivers

        events.talk_published.connect(receivers.on_talk_published,
                                      dispatch_uid="newsletter.talk_published")
        events.materials_published.connect(receivers.on_materials_published,
                                           dispatch_uid="newsletter.materials")
