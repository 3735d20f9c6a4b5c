"""Periodic sweeps run once per interval however many workers run; tasks left RUNNING by a dead
worker are recovered; old task results are pruned; the worker stops on the first SIGTERM."""

import datetime as dt
import signal
import uuid

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clustertalks.core import delivery, periodic
from clustertalks.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_app_sweep_is_registered():
    names = {job.name: job.seconds for job in periodic.jobs()}
    assert names["clustertalks.registrations.tasks.send_due_reminders"] == 60
    assert names["clustertalks.registrations.tasks.anonymise_old_registrations"] == 3600
    assert names["clustertalks.core.tasks.recover_stuck_tasks"] == 60
    assert "clustertalks.core.tasks.prune_task_results" in names


def test_a_sweep_runs_once_per_interval_however_many_workers_ask():
    job = periodic.Job(task=type("T", (), {"module_path": "tests.sweep"})(), seconds=60)
    minute = timezone.now().replace(second=5, microsecond=0)
    winners = [periodic.claim_slot(job, minute + dt.timedelta(seconds=n)) for n in range(8)]
    assert winners.count(True) == 1 and winners[0]  # 8 workers within one minute: one runs it
    assert periodic.claim_slot(job, minute + dt.timedelta(minutes=1))  # the next minute: again
    assert not periodic.claim_slot(job, minute + dt.timedelta(minutes=1, seconds=30))


def test_workers_enqueue_each_sweep_once_per_interval(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # as in production
    now = timezone.now()
    first = periodic.enqueue_due(now)
    second = periodic.enqueue_due(now + dt.timedelta(seconds=1))  # another worker, same minute
    assert "clustertalks.registrations.tasks.send_due_reminders" in first and second == []
    assert DBTaskResult.objects.filter(task_path__endswith="send_due_reminders").count() == 1


def running_task(worker_id: str, started: dt.datetime, workers_before=()) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING", started_at=started, args_kwargs={"args": [], "kwargs": {}},
        task_path="clustertalks.core.tasks.deliver_due_emails", backend_name="default",
        run_after=started, worker_ids=[*workers_before, worker_id],
        exception_class_path="", traceback="")


def test_a_task_left_running_by_a_dead_worker_is_requeued(settings):
    settings.WORKER_HEARTBEAT_SECONDS = 15
    now = timezone.now()
    dead, alive = f"dead-{uuid.uuid4().hex[:6]}", f"alive-{uuid.uuid4().hex[:6]}"
    WorkerHeartbeat.objects.create(worker_id=dead, seen_at=now - dt.timedelta(minutes=5))
    WorkerHeartbeat.objects.create(worker_id=alive, seen_at=now - dt.timedelta(seconds=10))
    orphan = running_task(dead, now - dt.timedelta(minutes=6))
    busy = running_task(alive, now - dt.timedelta(minutes=30))  # long, but its worker lives
    never_beat = running_task("unknown", now - dt.timedelta(minutes=6))
    assert periodic.recover_stuck(now) == {"requeued": 2, "failed": 0}
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[orphan.pk] == "READY" and statuses[never_beat.pk] == "READY"
    assert statuses[busy.pk] == "RUNNING"


def test_a_task_that_killed_three_workers_is_marked_failed():
    now = timezone.now()
    poison = running_task("w3", now - dt.timedelta(hours=1), workers_before=["w1", "w2"])
    assert periodic.recover_stuck(now) == {"requeued": 0, "failed": 1}
    poison.refresh_from_db()
    assert poison.status == "FAILED" and "stopped 3 times" in poison.traceback


def test_old_finished_task_results_are_pruned(settings):
    settings.TASK_RESULT_RETENTION_DAYS = 14
    now = timezone.now()

    def result(status, finished_days_ago):
        finished = now - dt.timedelta(days=finished_days_ago)
        return DBTaskResult.objects.create(
            status=status, finished_at=finished, started_at=finished, run_after=finished,
            args_kwargs={"args": [], "kwargs": {}}, task_path="x.y", backend_name="default",
            exception_class_path="", traceback="")

    old_ok, old_failed, recent = result("SUCCESSFUL", 30), result("FAILED", 15), result("SUCCESSFUL", 2)
    waiting = result("READY", 30)
    assert periodic.prune_results(now) == 2
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not {old_ok.pk, old_failed.pk} & set(DBTaskResult.objects.values_list("pk", flat=True))


def test_the_first_signal_stops_a_delivery_pass_after_the_current_message():
    from clustertalks.core.management.commands.worker import Worker

    worker = Worker(queue_names=["default"], interval=1, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[])
    worker.running_task = True  # in the middle of a message
    try:
        worker.shutdown(signal.SIGTERM, None)
        assert delivery.shutdown.is_set() and not worker.running
        with pytest.raises(SystemExit):  # a second signal: at once
            worker.shutdown(signal.SIGTERM, None)
    finally:
        delivery.shutdown.clear()
        worker.reset_signals()
