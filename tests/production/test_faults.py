"""Faults: the site keeps serving and saving while a backing service is away.

Redis runs as our own ``redis-server`` on a spare port (tests/own_redis.py, never the shared
instance), so we can kill, freeze (SIGSTOP) and restart it. The search engine being down
(saving works, search's IndexOutbox drains when it returns) is covered by
tests/search/test_engine_backends.py; e-mail waits in the outbox (core/outbox) and the beat
retries it.
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache
from wagtail.search.models import IndexEntry

from config.background import broker_breaker
from tests.factories import EventIndexPageFactory, EventPageFactory, StandardPageFactory
from tests.own_redis import free_port

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def production_like(settings, own_redis):
    """Cache, page cache and Wagtail's task backend on our own Redis, as in production."""
    from config.celery import app

    url = own_redis.url
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
    broker_breaker().reset()
    cache.breaker.reset()
    yield own_redis
    broker_breaker().reset()
    cache.breaker.reset()
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
    redis_server = production_like
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"

    # With Redis up, Wagtail's index task goes to the broker.
    StandardPageFactory(parent=home_page, title="Før nedbruddet", slug="foer")
    assert _queued(redis_server.port) >= 1

    redis_server.kill()
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

    redis_server.start()
    # The breaker skips Redis for its open window after a failure; once it has passed (here:
    # reset), the cache is used again.
    cache.breaker.reset()
    assert client.get("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "hit"


@pytest.mark.redis
def test_with_redis_stopped_an_event_registration_is_saved_and_its_email_still_sent(
    client, home_page, production_like, mailoutbox
):
    from events.models import Registration

    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home_page), title="Eftermiddagsmøde", capacity=10
    )
    production_like.kill()

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
    from tests.factories import make_member
    from tests.smtp import ScriptedSMTPServer

    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home_page), title="Eftermiddagsmøde", capacity=10
    )
    url = f"/arrangementer/{event.pk}/tilmeld/"
    production_like.kill()
    _mail_server_at(settings, free_port())  # nothing listens there: connection refused

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


@pytest.mark.redis
@pytest.mark.parametrize("fault", ["freeze", "kill"])
def test_a_hung_or_refusing_broker_costs_one_request_two_seconds_and_the_rest_nothing(
    client, home_page, production_like, mailoutbox, fault
):
    """A Redis stopped with SIGSTOP accepts connections and never answers: each publish
    would wait out its socket timeout. The broker's circuit breaker turns that into one wait;
    meanwhile Wagtail's tasks and e-mails run inline. A refused broker is skipped the same way."""
    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=home_page), title="Eftermiddagsmøde", capacity=10
    )
    getattr(production_like, fault)()  # freeze: hung; kill: connections refused

    publishing, registering = [], []
    for n in range(3):
        started = time.monotonic()
        page = StandardPageFactory(parent=home_page, title=f"Under nedbruddet {n}", slug=f"u{n}")
        page.save_revision().publish()
        publishing.append(time.monotonic() - started)
        assert IndexEntry.objects.filter(object_id=str(page.pk)).exists()  # indexed inline

        started = time.monotonic()
        response = client.post(
            f"/arrangementer/{event.pk}/tilmeld/",
            {"name": f"Deltager {n}", "email": f"d{n}@example.dk", "organisation": "X"},
        )
        registering.append(time.monotonic() - started)
        assert response.status_code == 200

    assert [m.to for m in mailoutbox] == [[f"d{n}@example.dk"] for n in range(3)]
    # The first publish meets the fault (a cache and a broker timeout at most); after that
    # both breakers are open and nothing waits for Redis.
    assert publishing[0] < 8, publishing
    assert max(publishing[1:] + registering) < 2, (publishing, registering)
