"""Sending e-mail through the task queue: the request never waits for the mail server.

`send_later()` enqueues one `send_mail_task` per recipient after the commit (a rolled-back
change never mails anyone). A worker sends it; when the server fails, the task enqueues itself
again after 1, 4, 9 ... minutes (where the backend can defer; at once otherwise) up to
MAIL_TASK_ATTEMPTS tries, then fails: the failed task, with its traceback, is listed in the
admin ("Taakresultaten", superusers only).
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


def send_later(subject: str, body: str, recipients) -> None:
    """Enqueue one mail per recipient (they never see each other) once the transaction commits."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    subject = " ".join(subject.split())  # a header never carries a newline

    def enqueue():
        for address in recipients:
            send_mail_task.enqueue(subject, body, address)

    transaction.on_commit(enqueue)
