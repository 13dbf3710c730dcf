"""Hand work to Celery once the saving transaction has committed, and never lose it.

The apps' services call :func:`enqueue_after_commit` instead of ``task.delay``: the worker then
reads committed rows, a rolled-back request sends nothing, and an unreachable broker costs the
visitor a little latency (the task runs in the request) rather than a 500 after their
registration or post was already saved. Every task that goes through here is idempotent.
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


def enqueue_after_commit(task, *args, **kwargs) -> None:
    """Send ``task(*args, **kwargs)`` to Celery after COMMIT (at once outside a transaction)."""
    transaction.on_commit(lambda: send_or_run_inline(task, *args, **kwargs))


def send_or_run_inline(task, *args, **kwargs) -> None:
    """Publish to the broker; if it is down (or there is none), run the task here."""
    if not task.app.conf.task_always_eager:
        try:
            task.apply_async(args=args, kwargs=kwargs)
            return
        except BROKER_ERRORS as exc:
            logger.warning("broker unavailable, running %s inline: %s", task.name, exc)
    # ``apply`` runs the task in this process with its retry policy; a failure is recorded in
    # the returned result and logged, never raised into the request that enqueued it.
    result = task.apply(args=args, kwargs=kwargs, throw=False)
    if result.failed():
        logger.error("task %s failed inline: %r", task.name, result.result)
