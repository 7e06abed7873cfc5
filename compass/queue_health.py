"""How the task queue is doing, for /healthz/ and /healthz/queue/ (docs/tasks.md).

With the database backend the waiting tasks are rows: the age of the oldest task that is due
(waiting since it was enqueued, or since its retry time passed) tells whether workers run and
keep up. Above TASKS_HEALTH_MAX_WAIT_SECONDS the queue is "stalled". Other backends report
only their name (RQ has its own monitoring: `rq info`).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone


def queue_health() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return {"backend": backend.rsplit(".", 1)[-1], "status": "unknown"}
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    from compass.mail import reap_stalled_mail

    reap_stalled_mail()  # a mail task a dead worker left "running" is retried
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    oldest = []
    first = (
        due.filter(run_after=get_date_max())
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    if first is not None:
        oldest.append(first)
    deferred = (
        due.exclude(run_after=get_date_max())
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    if deferred is not None:
        oldest.append(deferred)
    age = max(0.0, (now - min(oldest)).total_seconds()) if oldest else 0.0
    counts = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING)
    ).values_list("status", flat=True)
    statuses = list(counts)
    limit = settings.TASKS_HEALTH_MAX_WAIT_SECONDS
    return {
        "backend": "database",
        "status": "stalled" if age > limit else "ok",
        "oldest_waiting_seconds": round(age, 1),
        "max_waiting_seconds": limit,
        "waiting": statuses.count(TaskResultStatus.READY),
        "running": statuses.count(TaskResultStatus.RUNNING),
    }
