"""A send to 1,000 subscribers through a real Celery worker, Redis and an SMTP server.

The SMTP server stops accepting mail after 300 messages (an outage in the middle of a send);
the send is then started again by two tasks at once on a worker with two threads. Every
subscriber must receive exactly one message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from newsletters import services
from newsletters.models import Delivery, Subscriber
from tests.smtp import free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]
BROKER = "redis://127.0.0.1:6379/11"
SUBSCRIBERS = 1000


class FlakySMTPHandler:
    """Accepts ``accept_until`` messages, then answers 421 until ``recover()``."""

    def __init__(self, accept_until: int):
        self.accept_until = accept_until
        self.recipients: list[str] = []

    def recover(self):
        self.accept_until = None

    async def handle_DATA(self, server, session, envelope):
        if self.accept_until is not None and len(self.recipients) >= self.accept_until:
            return "421 Service not available, try again later"
        self.recipients.extend(envelope.rcpt_tos)
        return "250 OK"


def _wait_for(condition, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(message)


@pytest.fixture
def worker_env(settings):
    queue = f"test-newsletters-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER'] or 'root'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": "cache+memory://",
        "BASE_URL": "http://testserver",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return queue, env


def test_interrupted_send_resumes_and_two_workers_never_mail_anyone_twice(home_page, worker_env):
    from aiosmtpd.controller import Controller

    from tests.newsletters.conftest import NewsletterIndexPageFactory, NewsletterPageFactory

    issue = NewsletterPageFactory(parent=NewsletterIndexPageFactory(parent=home_page))
    default = services.default_lists()
    Subscriber.objects.bulk_create(
        [Subscriber(email=f"abonnent{n}@example.dk", status="active") for n in range(SUBSCRIBERS)]
    )
    for subscriber in Subscriber.objects.all():
        subscriber.lists.set(default)
    send = services.create_send(issue)

    handler = FlakySMTPHandler(accept_until=300)
    port = free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    queue, env = worker_env
    env["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-P",
            "threads",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    client = Celery(broker=BROKER)
    try:
        client.send_task("newsletters.tasks.send_newsletter", args=[send.pk], queue=queue)
        _wait_for(
            lambda: len(handler.recipients) >= 300, 60, "the first 300 messages never arrived"
        )
        time.sleep(2)  # the outage: the worker's batch fails, nothing more gets through
        assert len(handler.recipients) == 300
        assert Delivery.objects.filter(send=send, status="sent").count() == 300

        handler.recover()
        for _ in range(2):  # two tasks on the same send, running concurrently
            client.send_task("newsletters.tasks.send_newsletter", args=[send.pk], queue=queue)
        _wait_for(lambda: len(handler.recipients) >= SUBSCRIBERS, 90, "the send did not finish")
        time.sleep(2)  # nothing extra may trickle in
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        smtp.stop()
        client.close()

    assert len(handler.recipients) == SUBSCRIBERS
    assert len(set(handler.recipients)) == SUBSCRIBERS
    assert Delivery.objects.filter(send=send, status="sent").count() == SUBSCRIBERS
