"""`clustertalks worker`: runs the queued tasks (django-tasks-db) and, whenever no task is
waiting, sends the due messages of every outbox (emails, webhook deliveries) through the
delivery engine. A thread beside it writes the worker's heartbeat and enqueues the periodic
sweeps this worker wins (once per interval across all workers, see core/periodic.py).

Stopping: the first SIGTERM/SIGINT lets the current message or task finish (every outbound
connection has a timeout, so this is bounded) and exits; a second one exits at once.
"""

import logging
import os
import random
import signal
import socket
import sys
import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.db.utils import OperationalError
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from clustertalks.core import delivery, periodic

log = logging.getLogger("clustertalks.worker")

# How long one pass over the outboxes may last before queued tasks get their turn.
OUTBOX_SLICE_SECONDS = 5


def new_worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


def housekeeping(stop: threading.Event, worker_id: str, schedule: bool) -> None:
    """Heartbeat, and the periodic sweeps this worker wins; runs in a thread of its own."""
    seen: dict[str, int] = {}
    tick = min(periodic.heartbeat_seconds(), 5.0)
    while not stop.is_set():
        try:
            close_old_connections()
            periodic.beat(worker_id)
            if schedule:
                periodic.enqueue_due(seen=seen)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the heartbeat
            log.exception("Worker housekeeping failed; trying again")
        stop.wait(tick)
    connection.close()


class Worker(DatabaseWorker):
    """django-tasks-db's worker, plus outbox passes when idle and a prompt, graceful stop."""

    def shutdown(self, signum, frame) -> None:
        delivery.shutdown.set()  # a delivery pass stops after the message it is on
        if not self.running:
            log.warning("Received %s again: exiting now.", signal.strsignal(signum))
            self.reset_signals()
            sys.exit(1)
        log.warning("Received %s: finishing the current message or task, then exiting "
                    "(send it again to exit at once).", signal.strsignal(signum))
        self.running = False
        if not self.running_task:
            sys.exit(0)

    def next_task(self):
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None
                raise

    def drain_outboxes(self) -> int:
        self.running_task = True
        try:
            return delivery.deliver_all(deadline=time.monotonic() + OUTBOX_SLICE_SECONDS)
        finally:
            self.running_task = False

    def run(self) -> None:
        log.info("Starting worker %s", self.worker_id)
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spread the start of many workers
        while self.running:
            close_old_connections()
            task_result = self.next_task()
            if task_result is not None:
                self.run_task(task_result)
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    return
                continue
            if not self.running:
                return
            sent = self.drain_outboxes()
            if sent:
                continue
            if self.batch:
                return
            if self.running:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = "Run the background task worker (emails, webhooks, reminders, sweeps, indexing)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run what is queued and send what is due, then exit.")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Do not enqueue the periodic sweeps (reminders, recovery...).")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds to wait when there is nothing to do (default 1).")
        parser.add_argument("--queue", default="default",
                            help="The task queue to take (default: default; `clustertalks "
                                 "transcriber` takes the transcription queue).")

    def handle(self, *args, batch, no_schedule, interval, queue, **options):
        delivery.shutdown.clear()
        autodiscover_modules("tasks")  # registers every app's outboxes and periodic sweeps
        worker_id = new_worker_id()
        periodic.recover_stuck()  # a restart usually follows a crash
        stop = threading.Event()
        if batch and not no_schedule:
            periodic.enqueue_due(force=True)
        # The heartbeat runs in batch mode too: it tells the recovery sweep this worker lives.
        periodic.beat(worker_id)
        threading.Thread(target=housekeeping, args=(stop, worker_id, not (batch or no_schedule)),
                         daemon=True, name="clustertalks-housekeeping").start()
        worker = Worker(queue_names=[queue], interval=interval, batch=batch,
                        backend_name="default", startup_delay=not batch, max_tasks=None,
                        worker_id=worker_id, excluded_queue_names=[])
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()
            periodic.forget(worker_id)
            log.info("Worker %s stopped", worker_id)
