from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clustertalks.core"
    label = "core"
    verbose_name = _("Site")

    def ready(self):
        from django.core.signals import setting_changed

        from . import languages, pagecache

        pagecache.connect_public_models()
        setting_changed.connect(languages.forget_path_languages, dispatch_uid="core.path-languages")
