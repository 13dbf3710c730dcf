"""A send to 1,000 subscribers through real Celery workers, Redis and SMTP servers.

Three crashes, each with real processes: the worker's pool child killed with SIGKILL while
it waits for the server's reply (what the out-of-memory killer does), the child killed while
the server has not even answered DATA, and a server that resets the connection at a
message's DATA. Afterwards every subscriber has the newsletter exactly once: what never
reached the end of DATA is sent again, only the one message that may have been accepted
without the reply being recorded is ``unknown`` (and it did arrive).
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

from core.outbox.models import OutboundEmail
from newsletters import services
from newsletters.models import NewsletterSend, Subscriber
from tests.celery_worker import start_celery_worker, worker_children
from tests.smtp import ScriptedSMTPServer, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
BROKER = "redis://127.0.0.1:6379/11"  # a database no other test uses
SUBSCRIBERS = 1000
KILL_AFTER = 350  # mid-batch (batches of 100), so a message is in flight
CLAIM_TIMEOUT = 3  # seconds; the workers' OUTBOX_CLAIM_TIMEOUT


class SlowSMTPHandler:
    """Takes 10 ms to accept each message, so a kill usually lands while the worker waits
    for the server's answer: the message arrives, but the worker never records it."""

    def __init__(self):
        self.delivered: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.01)
        with self.lock:
            self.delivered.extend(envelope.rcpt_tos)
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
        "OUTBOX_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
        "OUTBOX_RETRY_BASE_SECONDS": "0",  # retry what never arrived at once
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _forget_unacked(queue: str) -> None:
    """A killed worker's task stays unacknowledged in Redis; drop it with the test."""
    import redis

    client = redis.Redis.from_url(BROKER)
    for tag, payload in client.hgetall("unacked").items():
        if queue.encode() in payload:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.delete(queue)
    client.close()


def _a_send_to_1000(home_page) -> NewsletterSend:
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
    return services.create_send(issue)


class Workers:
    """Celery worker processes on a queue of their own, stopped with the test."""

    def __init__(self, smtp_port: int):
        self.queue = f"test-newsletters-{uuid.uuid4().hex[:8]}"
        self.env = _worker_env(smtp_port)
        self.client = Celery(broker=BROKER)
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, pool: str = "prefork") -> subprocess.Popen:
        worker = start_celery_worker(self.queue, self.env, name, pool=pool)
        self.processes.append(worker)
        return worker

    def send(self, send_id: int) -> None:
        self.client.send_task("newsletters.tasks.send_newsletter", args=[send_id], queue=self.queue)

    def kill_child(self, worker: subprocess.Popen) -> None:
        children = worker_children(worker)
        assert children, "the worker has no pool child"
        for pid in children:
            os.kill(pid, signal.SIGKILL)

    def stop(self):
        for worker in self.processes:
            if worker.poll() is None:
                worker.terminate()
        for worker in self.processes:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        self.client.close()
        _forget_unacked(self.queue)


def _finished(send) -> bool:
    return NewsletterSend.objects.get(pk=send.pk).status == "done"


def _outcome(send, delivered: list[str]):
    rows = OutboundEmail.objects.filter(group=services.send_group(send))
    counts = collections.Counter(delivered)
    statuses = collections.Counter(rows.values_list("status", flat=True))
    sent = set(rows.filter(status="sent").values_list("recipient", flat=True))
    unknown = set(rows.filter(status="unknown").values_list("recipient", flat=True))
    print(f"\nreceived {len(delivered)} ({len(counts)} distinct); rows: {dict(statuses)}")
    assert [email for email, n in counts.items() if n > 1] == []  # nobody mailed twice
    assert len(counts) == SUBSCRIBERS  # everybody mailed
    assert sent | unknown == set(counts)
    return sent, unknown


def test_worker_child_killed_awaiting_the_reply_then_two_workers_resume(home_page):
    from aiosmtpd.controller import Controller

    send = _a_send_to_1000(home_page)
    handler = SlowSMTPHandler()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    workers = Workers(smtp.port)
    try:
        first = workers.start("erste")
        _wait_for(lambda: worker_children(first), 30, "the worker did not start its child")
        workers.send(send.pk)
        _wait_for(
            lambda: len(handler.delivered) >= KILL_AFTER,
            60,
            f"the first {KILL_AFTER} messages never arrived",
            interval=0.005,
        )
        workers.kill_child(first)
        received_before_kill = len(handler.delivered)
        time.sleep(0.5)
        assert len(handler.delivered) - received_before_kill <= 1  # the child is gone
        assert received_before_kill < SUBSCRIBERS

        time.sleep(CLAIM_TIMEOUT)  # the dead child's claims go stale
        workers.start("anden")
        workers.send(send.pk)  # the beat resumes the send on two workers at once
        workers.send(send.pk)
        _wait_for(lambda: _finished(send), 300, "the resumed send did not finish")
        time.sleep(1)  # nothing extra may trickle in
    finally:
        workers.stop()
        smtp.stop()

    sent, unknown = _outcome(send, handler.delivered)
    assert len(unknown) <= 1  # at most the message whose reply the child never read


def test_worker_child_killed_before_the_end_of_data_is_resent_and_nobody_lost(home_page):
    send = _a_send_to_1000(home_page)
    with ScriptedSMTPServer(hold_data=KILL_AFTER) as smtp:
        workers = Workers(smtp.port)
        try:
            first = workers.start("erste")
            _wait_for(lambda: worker_children(first), 30, "the worker did not start its child")
            workers.send(send.pk)
            assert smtp.holding.wait(60), "message {KILL_AFTER} never reached DATA"
            workers.kill_child(first)  # waiting for "354": nothing of it reached the end
            time.sleep(0.5)
            smtp.release.set()

            time.sleep(CLAIM_TIMEOUT)
            workers.send(send.pk)
            _wait_for(lambda: _finished(send), 300, "the resumed send did not finish")
            time.sleep(1)
        finally:
            workers.stop()

    sent, unknown = _outcome(send, smtp.delivered)
    assert unknown == set() and len(sent) == SUBSCRIBERS


def test_a_server_resetting_the_connection_at_data_loses_and_duplicates_nothing(home_page):
    send = _a_send_to_1000(home_page)
    with ScriptedSMTPServer(reset_during_data={120, 640}) as smtp:
        workers = Workers(smtp.port)
        try:
            workers.start("erste", pool="solo")
            workers.send(send.pk)
            _wait_for(lambda: _finished(send), 300, "the send did not finish")
        finally:
            workers.stop()

    sent, unknown = _outcome(send, smtp.delivered)
    assert unknown == set() and len(sent) == SUBSCRIBERS
    retried = OutboundEmail.objects.filter(group=services.send_group(send), attempts=2)
    assert retried.count() == 2  # the two reset messages, each sent on its second attempt
