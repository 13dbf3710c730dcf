"""Thin Celery wrappers around forum.services (imported inside each task)."""

from celery import shared_task


@shared_task
def notify_subscribers_task(post_id: int) -> int:
    """E-mail a new post's followers through the outbox (see services.notify_subscribers)."""
    from . import services

    return services.notify_subscribers(post_id)


@shared_task
def send_daily_digests_task() -> int:
    """Beat, once a day: one digest per member who chose it (services.send_daily_digests)."""
    from . import services

    return services.send_daily_digests()
