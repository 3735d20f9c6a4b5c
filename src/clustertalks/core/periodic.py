"""Periodic sweeps and worker housekeeping.

An app makes a task periodic by decorating it (above `@task()`):

    from clustertalks.core.periodic import every

    @every(hours=1)
    @task()
    def anonymise_old_registrations(): ...

Every worker looks at the sweeps (its scheduler thread), but a sweep is enqueued by one worker
only per interval: the worker that wins the interval's slot in `PeriodicRun` (a conditional
UPDATE; any database). Workers also write heartbeats; `recover_stuck_tasks` re-queues a task
left RUNNING by a worker that went silent, and `prune_task_results` deletes old finished ones.
"""

import dataclasses
import datetime as dt
import logging
import os
import socket

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import PeriodicRun, WorkerHeartbeat

log = logging.getLogger(__name__)

# A task re-queued this many times (its workers died each time) is marked failed instead.
MAX_WORKER_DEATHS = 3


@dataclasses.dataclass(frozen=True)
class Job:
    task: object  # a django_tasks Task
    seconds: int

    @property
    def name(self) -> str:
        return self.task.module_path


_JOBS: dict[str, Job] = {}


def every(*, seconds: int = 0, minutes: int = 0, hours: int = 0, days: int = 0):
    """Register the decorated task as a sweep run once per interval."""
    interval = int(dt.timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days).total_seconds())
    if interval <= 0:
        raise ValueError("A periodic sweep needs a positive interval.")

    def register(task):
        job = Job(task, interval)
        _JOBS[job.name] = job
        return task

    return register


def jobs() -> list[Job]:
    """Every registered sweep (importing each app's tasks module registers its sweeps)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("tasks")
    return sorted(_JOBS.values(), key=lambda job: job.name)


def slot_of(job: Job, now: dt.datetime) -> int:
    return int(now.timestamp()) // job.seconds


def claim_slot(job: Job, now: dt.datetime | None = None) -> bool:
    """True for exactly one caller per job and interval, across processes and machines."""
    now = now or timezone.now()
    slot = slot_of(job, now)
    for _ in range(2):
        won = PeriodicRun.objects.filter(name=job.name, last_slot__lt=slot).update(
            last_slot=slot, last_run_at=now)
        if won:
            return True
        if PeriodicRun.objects.filter(name=job.name).exists():
            return False
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(name=job.name)
        except IntegrityError:
            pass  # another worker created it at the same moment; try the UPDATE again
    return False


def enqueue_due(now: dt.datetime | None = None, *, force: bool = False,
                seen: dict | None = None) -> list[str]:
    """Enqueue each sweep whose interval slot this worker wins (every sweep when `force`,
    for `worker --batch`). A sweep that is still waiting in the queue is not added twice.
    `seen` (job name → slot) spares the database a claim already tried in this slot."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    enqueued = []
    for job in jobs():
        slot = slot_of(job, now)
        if seen is not None and seen.get(job.name) == slot and not force:
            continue
        won = claim_slot(job, now)
        if seen is not None:
            seen[job.name] = slot
        if not (won or force):
            continue
        if DBTaskResult.objects.filter(task_path=job.name, status="READY").exists():
            continue
        job.task.enqueue()
        enqueued.append(job.name)
    return enqueued


# ---------------------------------------------------------------------------- heartbeats


def beat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={"seen_at": now, "host": socket.gethostname()[:255], "pid": os.getpid()})


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeat_seconds() -> float:
    return float(getattr(settings, "WORKER_HEARTBEAT_SECONDS", 15))


def silent_after() -> dt.timedelta:
    """A worker that has not beaten for 4 heartbeats is taken for dead."""
    return dt.timedelta(seconds=4 * heartbeat_seconds())


def recover_stuck(now: dt.datetime | None = None) -> dict:
    """Tasks left RUNNING by a dead worker: re-queued (our tasks are safe to run again), or
    marked failed once MAX_WORKER_DEATHS workers died on the same task. Returns the counts."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - silent_after()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    counts = {"requeued": 0, "failed": 0}
    for result in DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        rows = DBTaskResult.objects.filter(pk=result.pk, status="RUNNING", started_at=result.started_at)
        if len(result.worker_ids) >= MAX_WORKER_DEATHS:
            counts["failed"] += rows.update(
                status="FAILED", finished_at=now, exception_class_path="clustertalks.core.periodic.WorkerLost",
                traceback=f"The workers running this task stopped {len(result.worker_ids)} times; given up.")
        else:
            counts["requeued"] += rows.update(status="READY", started_at=None)
    WorkerHeartbeat.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()
    if any(counts.values()):
        log.warning("Recovered tasks left running by stopped workers: %s", counts)
    return counts


def prune_results(now: dt.datetime | None = None) -> int:
    """Delete finished task results older than TASK_RESULT_RETENTION_DAYS."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    days = int(getattr(settings, "TASK_RESULT_RETENTION_DAYS", 14))
    deleted, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=now - dt.timedelta(days=days)).delete()
    return deleted
