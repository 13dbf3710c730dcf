"""Liveness and readiness endpoints for the load balancer and monitoring.

``/livez`` only proves the process answers. ``/healthz`` checks every backing service the
site needs (database, cache, Celery broker, search engine) with short timeouts, so a
monitor polling it every few seconds costs a handful of round trips and never blocks a
worker for long. The body lists status and latency per check and never echoes
connection strings or exception text, which could contain credentials.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.background import BROKER_ERRORS, broker_breaker
from core.circuit_breaker import CircuitOpen
from search.backends.engine import engine_status

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 2.0


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache read-back failed")
    cache.delete(key)


class Degraded(Exception):
    """A service is down but the site works around it (reported, answered with 200)."""


def _check_broker() -> str | None:
    """The broker through the same breaker as every publish (``config.background``).

    Without a broker the site still works: short jobs run in the request, long ones wait for
    the beat, all recorded first. So an unreachable broker is reported as degraded, not as a
    failure that would take every web node out of the load balancer, and while the breaker is
    open the check does not wait for a hung broker again.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "inline"  # the embedded default runs tasks in-process: nothing to reach
    from config.celery import app

    def ping():
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)

    try:
        broker_breaker().call(ping, failures=BROKER_ERRORS)
    except CircuitOpen as exc:
        raise Degraded("tasks inline (broker skipped)") from exc
    except BROKER_ERRORS as exc:
        raise Degraded("tasks inline (broker unreachable)") from exc
    return None


def _check_search() -> str | None:
    status = engine_status()  # pings an external engine with a short timeout
    if status == "degraded":
        # Searches fall back to the database backend meanwhile (search.backends.engine).
        raise Degraded("database fallback")
    return "database" if status == "database" else None


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "search": _check_search,
}


def run_checks() -> tuple[bool, dict]:
    """(healthy, checks); a degraded check leaves the site healthy but is reported."""
    results: dict[str, dict] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            mode = check()
            entry = {"status": "ok"}
            if mode:
                entry["mode"] = mode
        except Degraded as exc:
            entry = {"status": "degraded", "mode": str(exc)}
            logger.warning("health check %s degraded: %s", name, exc)
        except Exception as exc:  # any failure is a failed check, never a 500
            healthy = False
            entry = {"status": "error", "error": type(exc).__name__}
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
        entry["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = entry
    return healthy, results


@never_cache
@require_GET
def healthz(request):
    healthy, checks = run_checks()
    degraded = any(check["status"] == "degraded" for check in checks.values())
    status = "error" if not healthy else "degraded" if degraded else "ok"
    return JsonResponse({"status": status, "checks": checks}, status=200 if healthy else 503)


@never_cache
@require_GET
def livez(request):
    return JsonResponse({"status": "ok"})
