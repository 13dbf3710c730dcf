"""A real Celery worker in its own process, for the tests and benchmarks that need one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_celery_worker(
    queue: str, env: dict[str, str], name: str, pool: str = "solo"
) -> subprocess.Popen:
    """One worker process on ``queue``.

    ``solo``: a SIGKILL of the process stops the code that is working. ``prefork``: one child
    process does the work (what the out-of-memory killer picks); see :func:`worker_children`.
    """
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "-P", pool, "-c", "1", "-n", f"{name}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the banner; errors still go to stderr
    )  # fmt: skip


def worker_children(worker: subprocess.Popen) -> list[int]:
    """Process ids of a prefork worker's pool children."""
    path = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in path.read_text().split()] if path.exists() else []
