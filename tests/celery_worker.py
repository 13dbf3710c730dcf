"""A real Celery worker in its own process, for the tests and benchmarks that need one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_celery_worker(queue: str, env: dict[str, str], name: str) -> subprocess.Popen:
    """One worker process on ``queue`` (solo pool: a SIGKILL stops the code that is working)."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "-P", "solo", "-n", f"{name}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the banner; errors still go to stderr
    )  # fmt: skip
