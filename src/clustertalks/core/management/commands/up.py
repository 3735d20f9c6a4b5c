import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

PROCESSES = {"web": ["serve"], "worker": ["worker"]}


def processes() -> dict[str, list[str]]:
    """The web server and the worker; the transcriber too when automatic captions are installed."""
    from clustertalks.captions import engine

    if engine.is_available():
        return {**PROCESSES, "transcriber": ["transcriber"]}
    print(f"Automatic captions are not installed; to add them: {engine.INSTALL_HINT}")
    return PROCESSES


# How long the processes get to print their start-up lines before the sign-in hint.
SIGN_IN_HINT_AFTER_SECONDS = 3.0


def sign_in_hint() -> str:
    """Where the site is and how an organiser signs in: printed last by `make run`, so the
    start-up lines of the web server and the worker do not push it off the screen."""
    from django.conf import settings

    from .setup import ORGANISER

    password_file = settings.VAR_DIR / "organiser-password.txt"
    lines = [f"Site: {settings.SITE_URL}/", f"Back office: {settings.SITE_URL}/admin/"]
    if password_file.exists():
        password = password_file.read_text().strip()
        lines.append(f"Organiser sign-in: user '{ORGANISER}', password '{password}' "
                     f"(kept in {password_file}; change it after the first sign-in)")
    lines.append(f"Emails are written to {settings.VAR_DIR / 'mail'}/ unless EMAIL_URL is set. "
                 "Ctrl-C stops everything.")
    rule = "=" * 72
    return "\n".join([rule, *lines, rule])


class Command(BaseCommand):
    help = "Run the web server and the task worker side by side; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--sign-in-hint", action="store_true",
                            help="print the site address and the organiser's sign-in last, once "
                                 "the processes have started (what `make run` does)")

    def handle(self, *args, **options):
        children = {
            name: subprocess.Popen([sys.executable, "-m", "clustertalks.cli", *command])
            for name, command in processes().items()
        }
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        hint_at = time.monotonic() + SIGN_IN_HINT_AFTER_SECONDS if options["sign_in_hint"] else None
        while not stopping and all(child.poll() is None for child in children.values()):
            time.sleep(0.3)
            if hint_at is not None and time.monotonic() >= hint_at:
                self.stdout.write(sign_in_hint())
                self.stdout.flush()
                hint_at = None
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for name, child in children.items():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
            self.stdout.write(f"{name} stopped")
        failed = [name for name, child in children.items() if child.returncode not in (0, -15, None)]
        if failed and not stopping:
            raise SystemExit(f"stopped because {', '.join(failed)} exited")
