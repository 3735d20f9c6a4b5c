from django.core.management.base import BaseCommand

from clustertalks.roles.definitions import sync_roles


class Command(BaseCommand):
    help = "Create the role groups (administrator, series organiser, editor, viewer) and their permissions."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write("Roles are up to date.")
