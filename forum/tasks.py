from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=8)
def notify_subscribers_task(post_id: int) -> int:
    """E-mail a new post's followers; safe to retry (see services.notify_subscribers)."""
    return services.notify_subscribers(post_id)
