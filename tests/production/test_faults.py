"""Faults: the site keeps serving and saving while a backing service is away.

Redis runs as our own ``redis-server`` on a spare port (never the shared instance), so we can
stop and restart it. The search engine being down (saving works, search's IndexOutbox drains
when it returns) is covered by tests/search/test_engine_backends.py; e-mail waits in the
outbox (core/outbox) and the beat retries it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from wagtail.search.models import IndexEntry

from tests.conftest import require
from tests.factories import StandardPageFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self):
        self.port = _free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    require(shutil.which("redis-server") is not None, "needs redis-server")
    redis = OwnRedis()
    redis.start()
    yield redis
    if redis.process.poll() is None:
        redis.stop()


@pytest.fixture
def production_like(settings, own_redis):
    """Cache, page cache and Wagtail's task backend on our own Redis, as in production."""
    from config.celery import app

    url = f"redis://127.0.0.1:{own_redis.port}/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.CircuitBreakerRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.TASKS = {"default": {"BACKEND": "config.tasks_backend.OnCommitCeleryBackend"}}
    previous = app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager
    app.conf.broker_url = url
    app.conf.result_backend = url
    # The embedded default runs Celery eagerly; production sends to the broker.
    app.conf.task_always_eager = False
    _forget_broker_connections(app)
    yield own_redis
    _forget_broker_connections(app)
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = previous


def _forget_broker_connections(app) -> None:
    """Celery caches its connection and producer pools on first use: drop them, so the
    broker set in this test is the one actually used (not one cached by an earlier test)."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


def _queued(port: int) -> int:
    import redis

    client = redis.Redis(port=port)
    return sum(client.llen(k) for k in client.keys("default*") if client.type(k) == b"list")


@pytest.mark.redis
def test_with_redis_stopped_pages_are_served_and_saved_and_indexing_still_happens(
    client, home_page, production_like
):
    own_redis = production_like
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"

    # With Redis up, Wagtail's index task goes to the broker.
    StandardPageFactory(parent=home_page, title="Før nedbruddet", slug="foer")
    assert _queued(own_redis.port) >= 1

    own_redis.stop()
    started = time.monotonic()
    response = client.get("/")
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit"  # served, just not from the cache

    page = StandardPageFactory(parent=home_page, title="Under nedbruddet", slug="under")
    page.title = "Under nedbruddet, rettet"
    page.save_revision().publish()
    assert client.get("/under/").status_code == 200
    # The broker is down, so Wagtail's index task ran inline instead of getting lost.
    assert IndexEntry.objects.filter(object_id=str(page.pk)).exists()
    assert time.monotonic() - started < 15, "a dead Redis must not stall requests"

    own_redis.start()
    # The breaker skips Redis for its open window after a failure; once it has passed (here:
    # reset), the cache is used again.
    from django.core.cache import cache

    cache.breaker.reset()
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"


@pytest.mark.redis
def test_with_redis_stopped_an_event_registration_is_saved_and_its_email_still_sent(
    client, home_page, production_like, mailoutbox
):
    from events.models import Registration
    from tests.factories import EventIndexPageFactory, EventPageFactory

    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home_page), title="Eftermiddagsmøde", capacity=10
    )
    production_like.stop()

    started = time.monotonic()
    response = client.post(
        f"/arrangementer/{event.pk}/tilmeld/",
        {"name": "Anna Andersen", "email": "anna@example.dk", "organisation": "Røde Kors"},
    )
    assert response.status_code == 200
    assert "Tjek din e-mail" in response.content.decode()
    assert Registration.objects.filter(email="anna@example.dk", status="pending").exists()
    # The broker is down, so the confirmation e-mail was sent from the request instead.
    assert [message.to for message in mailoutbox] == [["anna@example.dk"]]
    assert time.monotonic() - started < 10, "a dead broker must not stall the visitor"


def _mail_server_at(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "core.outbox.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.mark.redis
def test_with_redis_and_smtp_down_registrations_answer_200_and_mail_once_after_recovery(
    client, home_page, production_like, settings
):
    """Issue 11 item 17: broker and mail server down together. Nothing escapes into the
    request, nobody is stuck, and every e-mail arrives exactly once when both are back."""
    from django.utils import timezone

    from core.outbox.models import OutboundEmail
    from core.outbox.services import deliver_due
    from events.models import Registration
    from tests.factories import EventIndexPageFactory, EventPageFactory, make_member
    from tests.smtp import ScriptedSMTPServer

    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home_page), title="Eftermiddagsmøde", capacity=10
    )
    url = f"/arrangementer/{event.pk}/tilmeld/"
    production_like.stop()
    _mail_server_at(settings, _free_port())  # nothing listens there: connection refused

    anonymous = {"name": "Anna Andersen", "email": "anna@example.dk", "organisation": "X"}
    first = client.post(url, anonymous)
    again = client.post(url, anonymous)  # "did it work?": registering again is not refused
    member = make_member(email="mette@vejle.dk")
    member_client = type(client)()
    member_client.force_login(member)
    as_member = member_client.post(url, {"one_click": "1"})

    assert [first.status_code, again.status_code, as_member.status_code] == [200, 200, 200]
    assert "Tjek din e-mail" in again.content.decode()
    assert Registration.objects.get(email="anna@example.dk").status == "pending"
    assert Registration.objects.get(user=member).status == "confirmed"
    # Anna's confirmation, the "you are already registered" answer to her second try (the
    # same page as for a new address: no enumeration), and Mette's confirmation.
    waiting = OutboundEmail.objects.filter(status="pending")
    assert sorted(waiting.values_list("recipient", flat=True)) == [
        "anna@example.dk",
        "anna@example.dk",
        "mette@vejle.dk",
    ]

    production_like.start()
    with ScriptedSMTPServer() as smtp:
        _mail_server_at(settings, smtp.port)
        OutboundEmail.objects.update(next_attempt_at=timezone.now())  # the retry is due
        deliver_due()  # the beat
        deliver_due()  # and its next run sends nothing more

    assert sorted(smtp.delivered) == ["anna@example.dk", "anna@example.dk", "mette@vejle.dk"]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
