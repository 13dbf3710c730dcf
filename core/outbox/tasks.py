from celery import shared_task


@shared_task
def deliver_emails(ids: list[int]) -> int:
    """Send these outbox messages now (queued by a request); failures stay on the rows."""
    from . import services

    return services.deliver(ids, limit=len(ids) or 1).sent


@shared_task
def deliver_group_emails(group: str) -> int:
    """Send a group of messages queued together (one post's alerts, one forum post's)."""
    from . import services

    return services.deliver_group(group)


@shared_task
def deliver_due_emails() -> int:
    """Beat, every minute: lasting retries, messages whose broker was down, stale claims."""
    from . import services

    return services.deliver_due()
