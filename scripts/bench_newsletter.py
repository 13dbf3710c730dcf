"""Benchmark newsletter sending: messages/second through one real Celery worker.

    .venv/bin/python scripts/bench_newsletter.py [--subscribers 10000] [--postgres]

Builds a throwaway database (SQLite, or the PostgreSQL database ``netvaerk_bench_newsletter``),
creates the subscribers and one issue, starts an aiosmtpd sink on 127.0.0.1 and one Celery
worker process (solo pool) on a private queue of Redis DB 9 (``--broker`` to change), sends
``newsletters.tasks.send_newsletter`` to it and times from the moment the task is sent until
the send is done. Prints messages/second. Target: at least 200 messages/second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Sink:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"


def _prepare_database(args, workdir: Path) -> str:
    if not args.postgres:
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    name = "netvaerk_bench_newsletter"
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "root", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "root", name], check=True)
    return f"postgres://root@127.0.0.1:5432/{name}"


def _wait_until_ready(client, worker, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            sys.exit(f"the Celery worker exited with {worker.returncode}")
        if client.control.ping(destination=[name], timeout=0.5):
            return
    sys.exit("the Celery worker did not come up")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    from tests.celery_worker import start_celery_worker
    from tests.smtp import free_port

    port = free_port()
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-newsletter-"))
    os.environ.update(
        {
            "DATABASE_URL": _prepare_database(args, workdir),
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "MEDIA_ROOT": str(workdir / "media"),
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True
    )

    import django

    django.setup()
    from celery import Celery

    from home.demo import ensure_home_page
    from newsletters import services
    from newsletters.models import NewsletterIndexPage, NewsletterPage, NewsletterSend, Subscriber

    home = ensure_home_page()
    archive = home.add_child(instance=NewsletterIndexPage(title="Nyhedsbreve", slug="nyhedsbreve"))
    issue = archive.add_child(
        instance=NewsletterPage(
            title="Benchmark",
            slug="benchmark",
            body=[("text", "<p>" + "Nyt fra netværket. " * 60 + "</p>")],
        )
    )
    default = services.default_lists()[0]
    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"abonnent{n}@example.dk", status="active")
            for n in range(args.subscribers)
        ],
        batch_size=2000,
    )
    Subscriber.lists.through.objects.bulk_create(
        [
            Subscriber.lists.through(subscriber_id=pk, newsletterlist_id=default.pk)
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    send = services.create_send(issue)

    queue = f"bench-newsletter-{uuid.uuid4().hex[:8]}"
    worker_env = {
        **os.environ,
        "CELERY_BROKER_URL": args.broker,
        "CELERY_RESULT_BACKEND": "cache+memory://",
    }
    worker = start_celery_worker(queue, worker_env, f"bench-{queue}")
    client = Celery(broker=args.broker)
    try:
        _wait_until_ready(client, worker, f"bench-{queue}@{os.uname().nodename}")
        started = time.perf_counter()
        client.send_task("newsletters.tasks.send_newsletter", args=[send.pk], queue=queue)
        while NewsletterSend.objects.filter(pk=send.pk).values_list("status", flat=True)[0] != (
            NewsletterSend.Status.DONE
        ):
            if worker.poll() is not None:
                sys.exit(f"the Celery worker exited with {worker.returncode}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        client.close()
        smtp.stop()
    progress = NewsletterSend.objects.get(pk=send.pk).progress()
    print(f"backend: {'PostgreSQL' if args.postgres else 'SQLite'}, broker: {args.broker}")
    print(
        f"subscribers: {args.subscribers}, sent: {progress['sent']}, "
        f"received by SMTP sink: {sink.count}"
    )
    print(
        f"elapsed: {elapsed:.1f} s, throughput: {progress['sent'] / elapsed:.0f} "
        "messages/second (one Celery worker process)"
    )


if __name__ == "__main__":
    main()
