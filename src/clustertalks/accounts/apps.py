from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "clustertalks.accounts"
    verbose_name = _("Sign-in")

    def ready(self):
        from clustertalks.accounts import checks  # noqa: F401  (registers the deploy check)
