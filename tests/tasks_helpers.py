"""A real `manage.py db_worker` process against the test database (tests of the queue, e2e).

The worker is a separate process: it sees what the test committed (use
`django_db(transaction=True)`), on PostgreSQL through the test database's name, on SQLite
through the test database file (compass/settings.py makes it a file, not memory). Its own
settings come from the environment, so whatever the test overrides that the worker needs (the
private storage, the PDF limits, the mail backend) is passed as environment variables.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

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
