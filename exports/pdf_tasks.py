"""The council PDF as a background task, with its durable state in `PdfRender` rows.

- `request_pdf()` (the download request) builds nothing itself: it gets the print HTML, keys it
  (SHA-256 of `RENDERER_VERSION`, language and HTML) and returns the row that answers it: a
  ready one (the file is in the private storage, `exports/pdf/<key>.pdf`), one waiting or being
  made for the same content, a recent failure of it, or a new waiting row with a task enqueued.
  A new request supersedes the waiting (not started) request of the same cycle, language and
  variant (the report, or the municipal report with the district annex), so
  25 quick edits leave one render in the queue, not 25.
- `render_pdf` (the task, queue "pdf") claims its row with a conditional UPDATE (pending ->
  running): whatever the backend delivers twice, one worker renders a content once. Database
  constraints allow one waiting row per cycle and language and one active row per content.
- The render runs in a child process (`python -m exports.render_child`) with a memory limit
  (RLIMIT_AS) and a time limit (a timeout, and RLIMIT_CPU in case the worker itself dies); when
  it exceeds them the row fails with a Dutch message that says what to do.
- A worker killed mid-render leaves its row "running": `reap_stalled()` fails such rows once
  they are older than the time limit plus a margin (the status page, the next request for the
  cycle and `manage.py prune_pdfs` call it), so nobody waits for ever.
"""

from __future__ import annotations

import hashlib
import logging
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from exports.models import PdfRender

# Raise when a change of the renderer or the print CSS changes the PDF without changing the HTML.
RENDERER_VERSION = "report-1"
STORAGE_DIR = "exports/pdf"
# A running render older than the time limit plus this margin (seconds) has lost its worker.
STALL_MARGIN_SECONDS = 60
RENDER_NICENESS = 10
"""Renderers run at a lower CPU priority: where cores are few, web requests go first."""
MEMORY_EXIT_CODE = 3
logger = logging.getLogger(__name__)


class State(StrEnum):
    READY = "ready"
    PENDING = "pending"
    FAILED = "failed"
    SUPERSEDED = "superseded"


def state_of(render: PdfRender) -> State:
    """What the waiting page's script hears. "superseded": a newer request of the same cycle
    and language replaced this one before it started; the download URL finds the newer one."""
    if render.status == PdfRender.Status.RUNNING:
        return State.PENDING
    return State(render.status)


def storage():
    """The private storage of the PDFs (STORAGES["exports"]): never served as media."""
    return storages["exports"]


def key_for(html: str, language: str, variant: str = "") -> str:
    """The content key. The variant (the report with the district annex) is part of it when
    there is one, so two variants never share a key even if their HTML were equal; the key of
    the plain report is what it was before variants existed."""
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, language, *([variant] if variant else []), html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def path_for(key: str) -> str:
    return f"{STORAGE_DIR}/{key}.pdf"


ACTIVE = (PdfRender.Status.PENDING, PdfRender.Status.RUNNING)


def request_pdf(cycle, html: str, language: str, user=None, variant: str = "") -> PdfRender:
    """Return the render that answers this content, enqueueing one when none does.

    ``variant``: "" for the report, "wijkbijlage" for the municipal report with the district
    annex; a waiting render supersedes only a waiting render of the same variant.
    """
    key = key_for(html, language, variant)
    reap_stalled(cycle=cycle)
    existing = (
        PdfRender.objects.filter(content_key=key)
        .exclude(status=PdfRender.Status.SUPERSEDED)
        .only("pk", "status", "finished_at", "content_key", "cycle_id", "language", "error")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if existing is not None:
        if existing.status == PdfRender.Status.READY and storage().exists(path_for(key)):
            return existing
        if existing.status in ACTIVE:
            return existing
        retry = timedelta(seconds=settings.PDF_RETRY_AFTER_FAILURE_SECONDS)
        if existing.status == PdfRender.Status.FAILED and existing.finished_at + retry > now():
            return existing
    if storage().exists(path_for(key)):  # rendered before; its row was pruned
        return PdfRender.objects.create(
            cycle=cycle,
            language=language,
            variant=variant,
            content_key=key,
            status=PdfRender.Status.READY,
            requested_by=user,
            finished_at=now(),
            size=storage().size(path_for(key)),
        )
    try:
        with transaction.atomic():
            superseded = PdfRender.objects.filter(
                cycle=cycle, language=language, variant=variant, status=PdfRender.Status.PENDING
            ).update(status=PdfRender.Status.SUPERSEDED, finished_at=now(), html="")
            if superseded:
                logger.info(
                    "PDF of cycle %s (%s): the waiting render superseded", cycle.pk, language
                )
            render = PdfRender.objects.create(
                cycle=cycle,
                language=language,
                variant=variant,
                content_key=key,
                html=html,
                requested_by=user,
            )
    except IntegrityError:
        # Another request created the waiting row of this content (or cycle) just now.
        again = PdfRender.objects.filter(content_key=key, status__in=ACTIVE).first()
        if again is not None:
            return again
        raise
    result = render_pdf.enqueue(render.pk)
    PdfRender.objects.filter(pk=render.pk).update(task_id=str(result.id)[:64])
    render.refresh_from_db()
    return render


def now():
    return timezone.now()


@task(queue_name="pdf")
def render_pdf(render_id: int) -> str:
    """Render one requested PDF (run by a worker). Returns "ready", or "skipped: <status>" when
    the row was not waiting any more (superseded, or claimed by another worker)."""
    claimed = PdfRender.objects.filter(pk=render_id, status=PdfRender.Status.PENDING).update(
        status=PdfRender.Status.RUNNING, started_at=now()
    )
    if not claimed:  # superseded, or another worker has (had) it: nothing to do
        status = PdfRender.objects.filter(pk=render_id).values_list("status", flat=True).first()
        return f"skipped: {status}"
    render = PdfRender.objects.get(pk=render_id)
    path = path_for(render.content_key)
    started = time.monotonic()
    if storage().exists(path):
        return _finish(render, storage().size(path), 0.0)
    try:
        pdf = run_render(render.html, render.language)
    except RenderFailed as failure:
        _fail(render, failure.message)
        raise  # the task fails too: the admin lists it with the reason
    except Exception:
        with translation.override(render.language):
            message = _(
                "Something went wrong while making the PDF file. The error has been logged for "
                "the administrators. Read the report as a web page, or try again later."
            )
        _fail(render, message)
        raise
    if not storage().exists(path):
        storage().save(path, ContentFile(pdf))
    return _finish(render, len(pdf), time.monotonic() - started)


def _finish(render: PdfRender, size: int, seconds: float) -> str:
    PdfRender.objects.filter(pk=render.pk, status=PdfRender.Status.RUNNING).update(
        status=PdfRender.Status.READY, finished_at=now(), size=size, render_seconds=seconds, html=""
    )
    logger.info("PDF %s stored (%d bytes, %.1f s)", render.content_key, size, seconds)
    return PdfRender.Status.READY


def _fail(render: PdfRender, message: str) -> str:
    logger.error("PDF %s could not be rendered: %s", render.content_key, message)
    PdfRender.objects.filter(pk=render.pk, status=PdfRender.Status.RUNNING).update(
        status=PdfRender.Status.FAILED, finished_at=now(), error=message, html=""
    )
    return PdfRender.Status.FAILED


def stall_deadline() -> timedelta:
    return timedelta(seconds=settings.PDF_TIME_LIMIT_SECONDS + STALL_MARGIN_SECONDS)


def reap_stalled(cycle=None, render_id=None) -> int:
    """Fail running renders whose worker died (older than the time limit plus a margin)."""
    rows = PdfRender.objects.filter(
        status=PdfRender.Status.RUNNING, started_at__lt=now() - stall_deadline()
    )
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    if render_id is not None:
        rows = rows.filter(pk=render_id)
    reaped = 0
    for pk, language in rows.values_list("pk", "language"):
        with translation.override(language):
            message = _(
                "Making the PDF file was interrupted (the background worker stopped). "
                "Try again: a new PDF file will be made."
            )
        # No retry wait after an interruption: the content itself did not fail.
        reaped += PdfRender.objects.filter(pk=pk, status=PdfRender.Status.RUNNING).update(
            status=PdfRender.Status.FAILED,
            finished_at=now() - timedelta(seconds=settings.PDF_RETRY_AFTER_FAILURE_SECONDS),
            error=message,
            html="",
        )
    if reaped:
        logger.error("%d PDF render(s) lost their worker and were marked failed", reaped)
    return reaped


# --- The render itself ---------------------------------------------------------------------


class RenderFailed(Exception):
    """A render exceeded a limit or crashed; `message` is for the reader (their language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def run_render(html: str, language: str) -> bytes:
    """Render in a child process with limits ("process") or here ("inline", some tests)."""
    if settings.PDF_RENDERING == "inline":
        from exports.pdf import html_to_pdf

        with translation.override(language):
            return html_to_pdf(html, name="cycle report")
    seconds = settings.PDF_TIME_LIMIT_SECONDS
    megabytes = settings.PDF_MEMORY_LIMIT_MB

    def limits():  # runs in the child between fork and exec
        os.nice(RENDER_NICENESS)
        memory = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds + 5, seconds + 10))

    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "compass.settings"),
    }
    try:
        child = subprocess.run(  # noqa: S603 - our own module, a fixed argument list
            [sys.executable, "-m", "exports.render_child", language],
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=seconds,
            preexec_fn=limits,  # the worker runs no threads of its own
            start_new_session=True,  # Ctrl-C on the worker lets the current render finish
            env=environment,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        with translation.override(language):
            raise RenderFailed(
                _(
                    "Making the PDF file took longer than %(seconds)s seconds and was stopped. "
                    "The report is probably very large: read it as a web page, or shorten long "
                    "texts and tables and try again."
                )
                % {"seconds": seconds}
            ) from None
    if child.returncode == 0 and child.stdout.startswith(b"%PDF"):
        return child.stdout
    stderr = child.stderr.decode("utf-8", "replace")[-2000:]
    logger.error("PDF child exited with %s: %s", child.returncode, stderr)
    with translation.override(language):
        if child.returncode == MEMORY_EXIT_CODE or "MemoryError" in stderr:
            raise RenderFailed(
                _(
                    "Making the PDF file needed more than %(megabytes)s MB of memory and was "
                    "stopped. The report is probably very large: read it as a web page, or "
                    "shorten long texts and tables and try again."
                )
                % {"megabytes": megabytes}
            )
        if child.returncode in (-9, -24):  # SIGKILL / SIGXCPU: the CPU limit
            raise RenderFailed(
                _(
                    "Making the PDF file took longer than %(seconds)s seconds and was stopped. "
                    "The report is probably very large: read it as a web page, or shorten long "
                    "texts and tables and try again."
                )
                % {"seconds": seconds}
            )
        raise RenderFailed(
            _(
                "Something went wrong while making the PDF file. The error has been logged for "
                "the administrators. Read the report as a web page, or try again later."
            )
        )


# --- Scheduled clean-up (manage.py prune_pdfs) ----------------------------------------------


def prune(retention_days: int) -> tuple[int, int]:
    """Remove stored PDFs that are no longer the newest of their cycle, language and variant and
    were made more than `retention_days` ago, and their rows. Returns (files, rows) removed."""
    reap_stalled()
    cutoff = now() - timedelta(days=retention_days)
    newest = {}
    for pk, cycle_id, language, variant in (
        PdfRender.objects.filter(status=PdfRender.Status.READY)
        .order_by("cycle_id", "language", "variant", "-finished_at", "-pk")
        .values_list("pk", "cycle_id", "language", "variant")
    ):
        newest.setdefault((cycle_id, language, variant), pk)
    keep_ids = set(newest.values())
    keep_keys = set(
        PdfRender.objects.filter(pk__in=keep_ids).values_list("content_key", flat=True)
    ) | set(PdfRender.objects.filter(status__in=ACTIVE).values_list("content_key", flat=True))
    old = (
        PdfRender.objects.filter(finished_at__lt=cutoff)
        .exclude(pk__in=keep_ids)
        .exclude(status__in=ACTIVE)
    )
    files = 0
    for key in set(old.values_list("content_key", flat=True)) - keep_keys:
        if storage().exists(path_for(key)):
            storage().delete(path_for(key))
            files += 1
    rows, _details = old.delete()
    return files, rows
