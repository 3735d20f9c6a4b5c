import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clustertalks.roles.services import make_administrator
from clustertalks.talks.models import Series, Talk

ORGANISER = "organiser"


class Command(BaseCommand):
    help = "Prepare a fresh install: migrate, collect static files, load the demo, create a login."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Do not load the demo series.")

    def handle(self, *args, no_demo, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready.")
        call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo and not Series.objects.exists() and not Talk.objects.exists():
            self.stdout.write("Empty database: loading the demo series...")
            call_command("demo")
            call_command("reindex")  # searchable at once, without waiting for the worker
        self.ensure_organiser()

    def ensure_organiser(self):
        User = get_user_model()
        password_file = settings.VAR_DIR / "organiser-password.txt"
        for superuser in User.objects.filter(is_superuser=True):
            make_administrator(superuser)  # the role the back office shows them with
        if User.objects.filter(is_superuser=True).exists():
            hint = f" (its first password is in {password_file})" if password_file.exists() else ""
            self.stdout.write(
                f"Organiser login: an account exists{hint}. Create another with "
                "`clustertalks createsuperuser`, or reset one with `clustertalks changepassword NAME`."
            )
            return
        password = secrets.token_urlsafe(12)
        make_administrator(User.objects.create_superuser(ORGANISER, "", password))
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
        self.stdout.write(
            self.style.SUCCESS(
                f"Organiser login created: user '{ORGANISER}', password '{password}' "
                f"(also saved in {password_file}). Back office: {settings.SITE_URL}/admin/"
            )
        )
        if settings.ADMIN_REQUIRE_TWO_FACTOR:
            self.stdout.write(
                "At the first sign-in the back office asks the organiser to set up a second "
                "factor: an authenticator app on a phone (QR code) or a passkey."
            )
