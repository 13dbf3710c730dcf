"""A send to 1,000 subscribers through real Celery workers, Redis and an SMTP server.

The worker is killed with SIGKILL after the SMTP server has received a few hundred messages
(a real crash: no exception handler, no ``finally``). Two fresh worker processes then resume
the send at the same time. Nobody may receive the newsletter twice; everyone is either
delivered or, for the message in flight at the moment of the kill, recorded as ``unknown``
(the at-most-once window, see newsletters.services).
"""

from __future__ import annotations

import asyncio
import collections
import os
import signal
import subprocess
import threading
import time
import uuid

import pytest
from celery import Celery
from django.db import connection
from django.db.models import Count

from newsletters import services
from newsletters.models import Delivery, NewsletterSend, Subscriber
from tests.celery_worker import start_celery_worker
from tests.smtp import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
BROKER = "redis://127.0.0.1:6379/9"
SUBSCRIBERS = 1000
KILL_AFTER = 350  # mid-batch (batches of 100), so a message is usually in flight
CLAIM_TIMEOUT = 3  # seconds; the workers' NEWSLETTER_CLAIM_TIMEOUT


class SlowSMTPHandler:
    """Takes 10 ms to accept each message, so a kill usually lands while the worker waits
    for the server's answer: the message arrives, but the worker never records it."""

    def __init__(self):
        self.recipients: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.01)
        with self.lock:
            self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _wait_for(condition, timeout: float, message: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(message)


def _worker_env(smtp_port: int) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'root'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "BASE_URL": "http://testserver",
        "NEWSLETTER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _forget_unacked(queue: str) -> None:
    """The killed worker's task stays unacknowledged in Redis; drop it with the test."""
    import redis

    client = redis.Redis.from_url(BROKER)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)
    client.close()


def test_worker_killed_mid_send_then_two_workers_resume_and_nobody_is_mailed_twice(home_page):
    from aiosmtpd.controller import Controller

    from tests.newsletters.conftest import NewsletterIndexPageFactory, NewsletterPageFactory

    issue = NewsletterPageFactory(parent=NewsletterIndexPageFactory(parent=home_page))
    default = services.default_lists()[0]
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"abonnent{n}@example.dk", status="active") for n in range(SUBSCRIBERS)]
    )
    Subscriber.lists.through.objects.bulk_create(
        [
            Subscriber.lists.through(subscriber_id=pk, newsletterlist_id=default.pk)
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ]
    )
    send = services.create_send(issue)

    handler = SlowSMTPHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    queue = f"test-newsletters-{uuid.uuid4().hex[:8]}"
    env = _worker_env(smtp.port)
    client = Celery(broker=BROKER)
    workers: list[subprocess.Popen] = []
    started = time.monotonic()
    try:
        workers.append(start_celery_worker(queue, env, "erste"))
        client.send_task("newsletters.tasks.send_newsletter", args=[send.pk], queue=queue)
        _wait_for(
            lambda: len(handler.recipients) >= KILL_AFTER,
            30,
            f"the first {KILL_AFTER} messages never arrived",
            interval=0.005,
        )
        killed_at = time.monotonic()
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        received_before_kill = len(handler.recipients)
        time.sleep(0.5)
        # The worker is really gone: at most the message it was handing over still arrives.
        assert len(handler.recipients) - received_before_kill <= 1
        assert received_before_kill < SUBSCRIBERS

        time.sleep(CLAIM_TIMEOUT)  # the dead worker's claims expire
        for name in ("anden", "tredje"):  # two worker processes at once, one task each
            workers.append(start_celery_worker(queue, env, name))
            client.send_task("newsletters.tasks.send_newsletter", args=[send.pk], queue=queue)

        def finished():
            return NewsletterSend.objects.get(pk=send.pk).status == "done"

        _wait_for(finished, 40, "the resumed send did not finish")
        resumed_in = time.monotonic() - killed_at
        time.sleep(1)  # nothing extra may trickle in
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        smtp.stop()
        client.close()
        _forget_unacked(queue)

    counts = collections.Counter(handler.recipients)
    statuses = dict(send.deliveries.values_list("status").annotate(n=Count("pk")))
    sent = set(send.deliveries.filter(status="sent").values_list("subscriber__email", flat=True))
    unknown = set(
        send.deliveries.filter(status="unknown").values_list("subscriber__email", flat=True)
    )
    print(
        f"\nreceived before kill: {received_before_kill}; received in all: "
        f"{len(handler.recipients)} ({len(counts)} distinct); rows: {statuses}; "
        f"in-flight (unknown) delivered: {len(unknown & set(counts))}/{len(unknown)}; "
        f"killed after {killed_at - started:.1f} s, resumed and finished in {resumed_in:.1f} s"
    )
    assert [email for email, n in counts.items() if n > 1] == []  # nobody mailed twice
    assert len(sent) + len(unknown) == SUBSCRIBERS
    assert len(unknown) <= 1  # one worker killed, one message in flight at most
    assert sent <= set(counts) and set(counts) - sent <= unknown
    assert Delivery.objects.filter(send=send, status__in=["queued", "sending"]).count() == 0
