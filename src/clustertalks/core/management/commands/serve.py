import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production-grade; static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )

    def handle(self, *args, host, port, workers, **options):
        argv = [
            sys.executable, "-m", "gunicorn", "clustertalks.wsgi:application",
            "--bind", f"{host}:{port}",
            "--workers", str(workers),
            "--access-logfile", "-",
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        ]
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} workers")
        os.execv(sys.executable, argv)
