"""The one broker-down policy: hand work to Celery after COMMIT, and never lose it.

Every background job is recorded in the database before it is published (an outbox row, a
newsletter send, an index-outbox entry) and a beat task sweeps up what is due, so publishing
to the broker only makes the work start sooner. When the broker is unreachable:

- short jobs (``inline=True``, the default: one e-mail, one index update) run right here, in
  the request that enqueued them, after its COMMIT. Whatever they raise — an SMTP error, a
  Celery ``Retry`` from an eagerly run task — is logged, never raised into the request: the
  visitor's registration or post is already saved, and the beat retries the work;
- long jobs (``inline=False``: a newsletter to every subscriber) are left to the beat.

``config.tasks_backend`` applies the same policy to Wagtail's own tasks.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing raises when the broker is unreachable. RuntimeError: Celery's Redis result
# backend gives up reconnecting with one (django-tasks-fennel writes there before publishing).
BROKER_ERRORS = (BrokerError, RedisError, OSError, RuntimeError)


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
        task.apply_async(args=args, kwargs=kwargs)
        return True
    except BROKER_ERRORS as exc:
        logger.warning("broker unavailable (%s): %s", task.name, type(exc).__name__)
    if inline:
        run_contained(lambda: task.run(*args, **kwargs), task.name)
    return False


def run_contained(work, name: str) -> None:
    """Run ``work()`` here; log what it raises instead of failing the caller."""
    try:
        work()
    except Exception:  # includes celery.exceptions.Retry: the beat retries, not this request
        logger.exception("background work %s failed inline; the beat retries it", name)
