"""/healthz reports every backing service; /livez only that the process answers."""

from __future__ import annotations

import json

import pytest

from config import health

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_on_the_embedded_default(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "search"}
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["latency_ms"], float)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_answers_503_and_names_the_failing_service_without_details(client, monkeypatch):
    def broken():
        raise ConnectionError("redis://:hemmeligt-kodeord@10.0.0.5:6379/0 refused")

    monkeypatch.setitem(health.CHECKS, "cache", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {
        "status": "error",
        "error": "ConnectionError",
        "latency_ms": body["checks"]["cache"]["latency_ms"],
    }
    assert body["checks"]["database"]["status"] == "ok"
    assert "hemmeligt" not in response.content.decode()


def test_search_engine_unreachable_is_reported_as_degraded(client, settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch9",
            "URLS": ["http://127.0.0.1:9"],  # discard port: nothing listens
            "INDEX": "netvaerk-health",
            "TIMEOUT": 1,
        }
    }

    response = client.get("/healthz")

    # Searches fall back to the database meanwhile (tests/search/test_engine_fallback.py).
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["search"]["status"] == "degraded"


def test_livez_does_not_touch_services(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert json.loads(response.content) == {"status": "ok"}


@pytest.fixture
def refused_broker(settings):
    """Celery pointed at a port nothing listens on, as in production with the broker down."""
    from config.background import broker_breaker
    from config.celery import app
    from tests.own_redis import free_port

    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    app._pool = None
    broker_breaker().reset()
    yield
    broker_breaker().reset()
    app._pool = None
    app.conf.broker_url = previous


def test_a_broker_down_is_degraded_not_a_failure_and_is_not_waited_for_again(
    client, refused_broker
):
    first = client.get("/healthz")

    # Tasks run in the request or wait for the beat meanwhile: the node stays in rotation.
    assert first.status_code == 200
    assert first.json()["status"] == "degraded"
    assert first.json()["checks"]["broker"]["status"] == "degraded"
    assert "unreachable" in first.json()["checks"]["broker"]["mode"]

    # The failure opened the broker's breaker, shared with every publish: skipped at once.
    second = client.get("/healthz").json()["checks"]["broker"]
    assert second["status"] == "degraded"
    assert "skipped" in second["mode"]
    assert second["latency_ms"] < 50
