"""With a broker, Wagtail's own background work runs on the Celery worker, after COMMIT.

Real processes, like production: a PostgreSQL database of its own, Redis DB 14, a
``manage.py shell`` that saves a page, and ``celery worker -Q default,celery``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
DB = "netvaerk_prod_tasks"
REDIS_URL = "redis://127.0.0.1:6379/14"

SAVE_PAGE = """
import redis
from django.db import transaction
from home.demo import ensure_home_page
from tests.factories import StandardPageFactory
r = redis.Redis.from_url("%(redis)s")
home = ensure_home_page()
def queued():
    return sum(r.llen(k) for k in r.keys("default*") + r.keys("celery*") if r.type(k) == b"list")
for k in r.keys("default*") + r.keys("celery*"):
    r.delete(k)
with transaction.atomic():
    page = StandardPageFactory(parent=home, title="Kobberkedlen i Tønder", slug="kobberkedlen")
    print("INSIDE", queued())
print("AFTER", queued())
print("PAGE", page.pk)
"""

COUNT_ENTRIES = """
from wagtail.search.models import IndexEntry
print("ENTRIES", IndexEntry.objects.filter(object_id="%(pk)s").count())
"""


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=f"postgres://root@127.0.0.1:5432/{DB}",
        REDIS_URL=REDIS_URL,
        DJANGO_SETTINGS_MODULE="config.settings",
        PAGE_CACHE_SECONDS="0",
    )
    return env


def _manage(*args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _value(output: str, key: str) -> int:
    line = next(line for line in output.splitlines() if line.startswith(key + " "))
    return int(line.split()[1])


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_page_save_enqueues_index_task_after_commit_and_the_worker_runs_it():
    subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "root", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "root", DB], check=True)
    try:
        _manage("migrate", "--noinput", "-v0")

        saved = _manage("shell", "-c", SAVE_PAGE % {"redis": REDIS_URL})
        assert _value(saved, "INSIDE") == 0, "tasks must not be sent before COMMIT"
        assert _value(saved, "AFTER") >= 1, "index task was not sent to the broker"
        count_entries = COUNT_ENTRIES % {"pk": _value(saved, "PAGE")}
        assert _value(_manage("shell", "-c", count_entries), "ENTRIES") == 0

        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "default,celery",
             "--pool", "solo", "--without-gossip", "--without-mingle", "-l", "WARNING"],
            cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            entries = 0
            while time.monotonic() < deadline and not entries:
                time.sleep(2)
                entries = _value(_manage("shell", "-c", count_entries), "ENTRIES")
        finally:
            worker.terminate()
            worker.wait(timeout=20)
        assert entries == 1, "the worker did not index the saved page"
    finally:
        redis.Redis.from_url(REDIS_URL).flushdb()  # DB 14 is ours alone
        subprocess.run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "root", DB])
