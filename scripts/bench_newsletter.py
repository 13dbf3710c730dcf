"""Benchmark newsletter sending: messages/second to a local SMTP sink with one worker.

    .venv/bin/python scripts/bench_newsletter.py [--subscribers 10000] [--postgres]

Builds a throwaway database (SQLite, or PostgreSQL database ``netvaerk_bench_newsletter``),
creates the subscribers and one issue, and runs the same code a Celery worker runs
(``newsletters.tasks.send_newsletter``) in this single process against an aiosmtpd sink on
127.0.0.1. Prints messages/second. Target: at least 200 messages/second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    from tests.smtp import free_port

    port = free_port()
    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=port)
    smtp.start()
    workdir = Path(tempfile.mkdtemp(prefix="bench-newsletter-"))
    if args.postgres:
        database = "postgres://root@127.0.0.1:5432/netvaerk_bench_newsletter"
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "root", "--if-exists", "netvaerk_bench_newsletter"],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "root", "netvaerk_bench_newsletter"], check=True
        )
    else:
        database = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.update(
        {
            "DATABASE_URL": database,
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
    from home.demo import ensure_home_page
    from newsletters import services
    from newsletters.models import NewsletterIndexPage, NewsletterPage, Subscriber
    from newsletters.tasks import send_newsletter

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

    started = time.perf_counter()
    sent = send_newsletter.run(send.pk)
    elapsed = time.perf_counter() - started
    smtp.stop()
    print(f"backend: {'PostgreSQL' if args.postgres else 'SQLite'}")
    print(f"subscribers: {args.subscribers}, sent: {sent}, received by SMTP sink: {sink.count}")
    print(
        f"elapsed: {elapsed:.1f} s, throughput: {sent / elapsed:.0f} messages/second (one worker)"
    )


if __name__ == "__main__":
    main()
