"""Sending e-mail through the task queue: the request never waits for the mail server.

`send_later()` enqueues one `send_mail_task` per recipient after the commit (a rolled-back
change never mails anyone). A worker sends it; when the server fails, the task enqueues itself
again after 1, 4, 9 ... minutes (where the backend can defer; at once otherwise) up to
MAIL_TASK_ATTEMPTS tries, then fails: the failed task, with its traceback, is listed in the
admin ("Taakresultaten", superusers only).

A worker killed while sending (SIGKILL, power loss) leaves its task row "running". With the
database backend `reap_stalled_mail()` marks such a row failed once it has run for longer than
MAIL_STALL_SECONDS and enqueues the next try (or, after the last, leaves it failed), so no
mail stays "running" for ever. It runs whenever a worker starts any task (the `task_started`
signal: a live worker cleans up after a dead one) and on every /healthz/ check. The mail may
have left before the kill, so a reaped mail can arrive twice; never not at all unless every
try fails.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


TASK_PATH = "compass.mail.send_mail_task"


class MailTaskInterrupted(Exception):
    """The worker stopped while the mail task ran (recorded on the reaped task row)."""


def retry_delay(attempt: int) -> timedelta:
    """The wait before try `attempt + 1`: 1, 4, 9, 16 ... minutes."""
    return timedelta(minutes=attempt * attempt)


@task(queue_name="mail")
def send_mail_task(subject: str, body: str, address: str, attempt: int = 1) -> str:
    """Send one e-mail to one address (run by a worker); retry later when sending fails."""
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        if attempt >= settings.MAIL_TASK_ATTEMPTS:
            logger.exception("e-mail %r could not be sent after %d tries", subject, attempt)
            raise
        logger.warning("e-mail %r: try %d failed; trying again later", subject, attempt)
        again = send_mail_task
        if again.get_backend().supports_defer:
            again = again.using(run_after=timezone.now() + retry_delay(attempt))
        again.enqueue(subject, body, address, attempt + 1)
        return "retry"
    return "sent"


def _clean(subject: str, recipients) -> tuple[str, list[str]]:
    # A header never carries a newline; recipients never see each other.
    return " ".join(subject.split()), sorted({address for address in recipients if address})


def send_later(subject: str, body: str, recipients) -> None:
    """Enqueue one mail per recipient (they never see each other) once the transaction commits."""
    subject, recipients = _clean(subject, recipients)
    if not recipients:
        return

    def enqueue():
        for address in recipients:
            send_mail_task.enqueue(subject, body, address)

    transaction.on_commit(enqueue)


def send_soon(subject: str, body: str, recipients) -> None:
    """Enqueue one mail per recipient now, for a mail that depends on no write of the request
    (a password reset's link is computed from the account as it is): the same task and retries
    as `send_later`, only not tied to the transaction's commit."""
    subject, recipients = _clean(subject, recipients)
    for address in recipients:
        send_mail_task.enqueue(subject, body, address)


def _uses_database_backend() -> bool:
    from django_tasks_db import DatabaseBackend

    return isinstance(send_mail_task.get_backend(), DatabaseBackend)


def reap_stalled_mail() -> int:
    """Fail mail tasks whose worker died mid-send and enqueue their next try; returns how many.

    A row is claimed with a conditional UPDATE (running -> failed), so two reapers at once
    retry a mail once."""
    if not _uses_database_backend():
        return 0  # RQ has its own: a dead worker's job goes to the failed job registry
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    stalled = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING,
        task_path=TASK_PATH,
        started_at__lt=now - timedelta(seconds=settings.MAIL_STALL_SECONDS),
    ).values_list("pk", "args_kwargs", "worker_ids")
    reaped = 0
    for pk, args_kwargs, worker_ids in stalled:
        subject, body, address, *rest = args_kwargs["args"]
        attempt = rest[0] if rest else args_kwargs["kwargs"].get("attempt", 1)
        last = attempt >= settings.MAIL_TASK_ATTEMPTS
        note = (
            f"{MailTaskInterrupted.__module__}.{MailTaskInterrupted.__qualname__}: worker "
            f"{', '.join(worker_ids) or '?'} stopped while sending (running for more than "
            f"{settings.MAIL_STALL_SECONDS} s); "
            + ("that was the last try." if last else f"try {attempt + 1} enqueued.")
        )
        claimed = DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{MailTaskInterrupted.__module__}.MailTaskInterrupted",
            traceback=note,
        )
        if not claimed:
            continue
        reaped += 1
        logger.error("e-mail %r to a recipient: %s", subject, note)
        if not last:
            send_mail_task.enqueue(subject, body, address, attempt + 1)
    return reaped


def reap_on_task_start(sender, task_result, **kwargs) -> None:
    """`task_started` receiver: a worker starting any task first cleans up after dead ones."""
    try:
        reap_stalled_mail()
    except Exception:  # never let the clean-up fail the task that is starting
        logger.exception("reaping stalled mail tasks failed")
