"""Render council PDFs once per content, off the request thread, and keep them in storage.

- The key is a SHA-256 of the rendered print HTML, its language and `RENDERER_VERSION`: an
  unchanged cycle gives the same HTML, so its PDF is rendered once and then served from the
  default storage (`exports/pdf/<key>.pdf`), by any app server that shares that storage.
- A render holds a lock in the cache (`cache.add`, shared through Redis in production), so two
  requests for the same content never render it twice; the lock expires after
  `PDF_LOCK_SECONDS` in case a renderer dies.
- `PDF_RENDERING = "process"`: the HTML goes to a small pool of separate processes (spawned, so
  they share nothing with the web process but the settings module; they need no database,
  only the static files). The request returns at once; WeasyPrint's CPU time never holds the
  web process's GIL. `"inline"` renders in the request (the test suite).
- A failed render is logged and remembered for `PDF_RETRY_AFTER_FAILURE_SECONDS`: the user
  gets a clear message, and no request starts the same failing render again in that time.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import storages

# Raise when a change of the renderer or the print CSS changes the PDF without changing the HTML.
RENDERER_VERSION = "report-1"
STORAGE_DIR = "exports/pdf"
logger = logging.getLogger(__name__)


def storage():
    """The private storage of the PDFs (STORAGES["exports"]): never served as media."""
    return storages["exports"]


class State(StrEnum):
    READY = "ready"
    PENDING = "pending"
    FAILED = "failed"


def key_for(html: str, language: str) -> str:
    digest = hashlib.sha256()
    for part in (RENDERER_VERSION, language, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def path_for(key: str) -> str:
    return f"{STORAGE_DIR}/{key}.pdf"


def _lock_key(key: str) -> str:
    return f"exports:pdf-lock:{key}"


def _failed_key(key: str) -> str:
    return f"exports:pdf-failed:{key}"


def state_of(key: str) -> State:
    """READY when the file is stored and no render of it is still writing it."""
    if cache.get(_lock_key(key)) is None and storage().exists(path_for(key)):
        return State.READY
    if cache.get(_failed_key(key)) is not None:
        return State.FAILED
    return State.PENDING


def ensure(html: str, language: str) -> tuple[State, str]:
    """Return the state of this content's PDF, starting its render if nobody renders it yet."""
    key = key_for(html, language)
    state = state_of(key)
    if state is not State.PENDING:
        return state, key
    if not cache.add(_lock_key(key), os.getpid(), settings.PDF_LOCK_SECONDS):
        return State.PENDING, key  # someone else renders it right now
    if storage().exists(path_for(key)):  # finished between our check and the lock
        cache.delete(_lock_key(key))
        return State.READY, key
    if settings.PDF_RENDERING == "inline":
        try:
            pdf = _render(html, language)
        except Exception:
            _failed(key)
            return State.FAILED, key
        _store(key, pdf)
        return State.READY, key
    try:
        future = _executor().submit(_render, html, language)
    except (BrokenProcessPool, RuntimeError):
        _reset_executor()
        future = _executor().submit(_render, html, language)
    future.add_done_callback(lambda done: _finish(key, done))
    return State.PENDING, key


def _finish(key: str, future) -> None:
    """Runs in the web process when a child is done: store the bytes or remember the failure."""
    try:
        pdf = future.result()
    except Exception:
        if isinstance(future.exception(), BrokenProcessPool):
            _reset_executor()
        _failed(key)
        return
    try:
        _store(key, pdf)
    except Exception:
        logger.exception("storing the PDF %s failed", key)
        _failed(key)


def _store(key: str, pdf: bytes) -> None:
    try:
        if not storage().exists(path_for(key)):
            storage().save(path_for(key), ContentFile(pdf))
        logger.info("PDF %s stored (%d bytes)", key, len(pdf))
    finally:
        cache.delete(_lock_key(key))


def _failed(key: str) -> None:
    logger.error("PDF %s could not be rendered; no new try for %s s", key, _retry_seconds())
    cache.set(_failed_key(key), 1, _retry_seconds() or None)
    cache.delete(_lock_key(key))


def _retry_seconds() -> int:
    return settings.PDF_RETRY_AFTER_FAILURE_SECONDS


# --- The rendering processes ---------------------------------------------------------------


def _render(html: str, language: str) -> bytes:
    """Render in this process (a child of the pool, or the request in inline mode)."""
    from django.utils import translation

    from exports.pdf import html_to_pdf

    with translation.override(language):
        return html_to_pdf(html, name="cycle report")


RENDER_NICENESS = 10
"""Renderers run at a lower CPU priority: where cores are few, web requests go first."""


def _init_child() -> None:
    """Make the child a Django process: settings and apps, for the static file lookup only."""
    with contextlib.suppress(OSError):  # not allowed here: render at normal priority
        os.nice(RENDER_NICENESS)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compass.settings")
    import django

    django.setup()


_executor_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _executor_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=settings.PDF_WORKERS,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_child,
            )
        return _pool


def _reset_executor() -> None:
    global _pool
    with _executor_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def shutdown(wait: bool = True) -> None:
    """Stop the pool (tests and benchmarks); a new one starts on the next render."""
    global _pool
    with _executor_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=wait)
