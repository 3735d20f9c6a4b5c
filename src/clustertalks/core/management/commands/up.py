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


class Command(BaseCommand):
    help = "Run the web server and the task worker side by side; Ctrl-C stops both."

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
        while not stopping and all(child.poll() is None for child in children.values()):
            time.sleep(0.3)
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
