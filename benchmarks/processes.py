"""Helpers of the scripts that run the app in processes of its own (national.py,
bench_load_users.py): the project's interpreter, a free port, `manage.py` as a subprocess."""

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, capture=False, timeout=1800):
    """`manage.py ARGS` with the given environment; raises when it fails."""
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        capture_output=capture,
        text=True,
    )
