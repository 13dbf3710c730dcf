"""Thin Celery wrappers around alerts.services (imported inside each task). The alerts
themselves are sent by the outbox's tasks."""

from celery import shared_task


@shared_task
def send_daily_digests_task() -> int:
    """Beat, once a day: queue one digest per digest reader with the posts since the last."""
    from . import services

    return services.queue_daily_digests()


@shared_task
def delete_unconfirmed_subscriptions_task() -> int:
    """Beat, once a day: sign-ups whose confirmation link has expired are deleted."""
    from . import services

    return services.delete_unconfirmed()
