"""A real `manage.py db_worker` process against the test database (tests of the queue, e2e).

The worker is a separate process: it sees what the test committed (use
`django_db(transaction=True)`), on PostgreSQL through the test database's name, on SQLite
through the test database file (compass/settings.py makes it a file, not memory). Its own
settings come from the environment, so whatever the test overrides that the worker needs (the
private storage, the PDF limits, the mail backend) is passed as environment variables.
"""

from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tasks import task

ROOT = Path(__file__).resolve().parent.parent


def worker_environment(**extra) -> dict:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compass.settings",
        "TASKS_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
        "PDF_RENDERING": "process",
        "PRIVATE_FILES_ROOT": str(settings.STORAGES["exports"]["OPTIONS"]["location"]),
    }
    if database["ENGINE"].endswith("sqlite3"):
        name = str(database["NAME"])
        assert "memory" not in name, "the test database must be a file for a worker process"
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = name
    else:
        auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
        )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def worker_command(*arguments) -> list[str]:
    return [
        sys.executable,
        "manage.py",
        "db_worker",
        "--queue-name",
        "*",
        "--interval",
        "0.2",
        "--no-startup-delay",
        "--no-reload",
        *arguments,
    ]


def run_worker_until_empty(timeout=180, **extra) -> subprocess.CompletedProcess:
    """Run `db_worker --batch`: every due task, then exit."""
    return subprocess.run(  # noqa: S603 - our own manage.py
        worker_command("--batch"),
        cwd=ROOT,
        env=worker_environment(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )


@contextmanager
def running_worker(log_path: Path, **extra):
    """A `db_worker` process for the duration of the block (its own process group, so killing
    it kills its render children too); stopped with SIGTERM, then SIGKILL."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - our own manage.py
            worker_command(),
            cwd=ROOT,
            env=worker_environment(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            kill(process)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL the worker and everything it started: a machine that dies mid-render."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    process.wait(timeout=30)


def wait_for(condition, timeout=120, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


# The session's supervised worker of the browser tests, once started (tests/e2e/conftest.py).
SESSION_WORKER: list = []


class SupervisedWorker:
    """One `db_worker` for a whole test session, started again whenever it exits.

    The browser tests share it (tests/e2e/conftest.py). A test's teardown flushes the database;
    when that removes the row of the task the worker is running, django-tasks-db's worker exits
    (it cannot record the result). Like systemd's `Restart=always`, a watcher thread then starts
    a new one within half a second, and `ensure_alive()` (before every browser test) starts one
    at once, so no test waits on a dead worker. `restarts` counts the restarts.
    """

    def __init__(self, log_path: Path, **extra):
        self.log_path = log_path
        self.environment = worker_environment(**extra)
        self.process: subprocess.Popen | None = None
        self.restarts = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._paused = threading.Event()
        self._stopped_by_pause = False
        self._watcher = threading.Thread(target=self._watch, name="db_worker watcher", daemon=True)

    def start(self) -> SupervisedWorker:
        self.ensure_alive()
        self._watcher.start()
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure_alive(self) -> subprocess.Popen:
        """The running worker: started (again) if it exited or was paused."""
        return self._ensure(resume=True)

    def _ensure(self, resume: bool) -> subprocess.Popen | None:
        with self._lock:
            if self._stopping.is_set():
                raise RuntimeError("the session's db_worker has been stopped")
            if resume:
                self._paused.clear()
            elif self._paused.is_set():
                return None
            if not self.alive():
                if self.process is not None and not self._stopped_by_pause:
                    self.restarts += 1
                with open(self.log_path, "a") as log:
                    log.write(
                        f"--- db_worker start {self.restarts + 1}"
                        + (
                            f" (the last one exited with {self.process.returncode})"
                            if self.process
                            else ""
                        )
                        + "\n"
                    )
                    log.flush()
                    self._stopped_by_pause = False
                    self.process = subprocess.Popen(  # noqa: S603 - our own manage.py
                        worker_command(),
                        cwd=ROOT,
                        env=self.environment,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
            return self.process

    def _watch(self) -> None:
        while not self._stopping.wait(0.5):
            try:
                self._ensure(resume=False)
            except RuntimeError:  # stopped meanwhile
                return

    def pause(self) -> None:
        """Stop the process until the next `ensure_alive()`: the tests between the browser
        tests run workers of their own, and a second worker on the same database would take
        their tasks (pytest-django runs every transactional test, browser or not, together)."""
        with self._lock:
            self._paused.set()
            if self.alive():
                self._stopped_by_pause = True
                stop(self.process)

    def stop(self) -> None:
        with self._lock:
            self._stopping.set()
            if self.process is not None:
                stop(self.process)
        self._watcher.join(timeout=5)


MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def read_outbox(folder: Path) -> list[email.message.Message]:
    """The mails Django's file backend wrote to `folder` (a worker's EMAIL_FILE_PATH), oldest
    first."""
    messages = []
    if not folder.exists():
        return messages
    for path in sorted(folder.iterdir(), key=lambda path: path.stat().st_mtime_ns):
        for chunk in path.read_bytes().split(MAIL_SEPARATOR):
            if chunk.strip():
                messages.append(
                    email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
                )
    return messages


@task()
def process_id() -> int:
    """The process that runs the task (a probe: the test's own, or a worker's)."""
    return os.getpid()
