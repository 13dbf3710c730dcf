"""The one broker-down policy: hand work to Celery after COMMIT, and never lose it.

Every background job is recorded in the database before it is published (an outbox row, a
newsletter send, an index-outbox entry) and a beat task sweeps up what is due, so publishing
to the broker only makes the work start sooner. When the broker is unreachable — refused,
gone, or hung (a Redis stopped by SIGSTOP accepts connections and never answers):

- publishing fails within the broker's socket timeouts (settings: one attempt, no publish
  retries), and the failure opens the broker's circuit breaker (``core.circuit_breaker``) for
  ``BROKER_BREAKER_SECONDS``: until then nobody in this process tries the broker again, so a
  hung broker costs one request about two seconds, every other request nothing;
- short jobs (``inline=True``, the default: one e-mail, one index update) run right here, in
  the request that enqueued them, after its COMMIT. Whatever they raise — an SMTP error, a
  Celery ``Retry`` from an eagerly run task — is logged, never raised into the request: the
  visitor's registration or post is already saved, and the beat retries the work;
- long jobs (``inline=False``: a newsletter to every subscriber, a post's alerts) are left to
  the beat.

``config.tasks_backend`` applies the same policy, through :func:`publish`, to Wagtail's tasks.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from core.circuit_breaker import CircuitBreaker, CircuitOpen, breaker

logger = logging.getLogger(__name__)

# What publishing raises when the broker is unreachable. RuntimeError: Celery's Redis result
# backend gives up reconnecting with one (django-tasks-fennel writes there before publishing).
BROKER_ERRORS = (BrokerError, RedisError, OSError, RuntimeError)


class BrokerUnavailable(Exception):
    """The broker failed just now, or failed recently and is being skipped."""


def broker_breaker() -> CircuitBreaker:
    return breaker("celery broker", reset_after=settings.BROKER_BREAKER_SECONDS)


def publish(send, name: str):
    """Run ``send()`` (a publish to the broker) through the broker's breaker and return what
    it returns; raise :class:`BrokerUnavailable` when the broker fails or is being skipped."""
    try:
        return broker_breaker().call(send, failures=BROKER_ERRORS)
    except CircuitOpen as exc:
        logger.info("broker skipped while its breaker is open (%s)", name)
        raise BrokerUnavailable(name) from exc
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable (%s): %s", name, type(exc).__name__)
        raise BrokerUnavailable(name) from exc


def enqueue_after_commit(task, *args, inline: bool = True, **kwargs) -> None:
    """Send ``task(*args, **kwargs)`` to Celery after COMMIT (at once outside a transaction)."""
    transaction.on_commit(lambda: send_or_run_inline(task, *args, inline=inline, **kwargs))


def send_or_run_inline(task, *args, inline: bool = True, **kwargs) -> bool:
    """Publish to the broker; if it is down (or there is none), apply the policy above.

    Returns whether the task was published.
    """
    if task.app.conf.task_always_eager:
        # No broker configured (the embedded default): every task runs here, long ones too.
        run_contained(lambda: task.run(*args, **kwargs), task.name)
        return False
    try:
        publish(lambda: task.apply_async(args=args, kwargs=kwargs), task.name)
        return True
    except BrokerUnavailable:
        pass
    if inline:
        run_contained(lambda: task.run(*args, **kwargs), task.name)
    return False


def run_contained(work, name: str) -> None:
    """Run ``work()`` here; log what it raises instead of failing the caller."""
    try:
        work()
    except Exception:  # includes celery.exceptions.Retry: the beat retries, not this request
        logger.exception("background work %s failed inline; the beat retries it", name)
