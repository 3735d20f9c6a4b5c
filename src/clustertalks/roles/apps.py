from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "clustertalks.roles"
    label = "roles"
    verbose_name = _("Roles")

    def ready(self):
        post_migrate.connect(sync_after_migrate, sender=self)


def sync_after_migrate(sender, using="default", apps=None, verbosity=1, **kwargs):
    """Every `migrate` (so every `clustertalks setup`, and the test database) brings the role
    groups in line with roles/definitions.py."""
    from django.db import connections

    from .definitions import sync_roles

    # A partial `migrate some_app` may run before auth and content types exist: nothing to sync.
    tables = set(connections[using].introspection.table_names())
    if not {"auth_group", "auth_permission", "django_content_type"} <= tables:
        return
    sync_roles(using=using)
