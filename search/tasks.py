from celery import shared_task

from . import index_health


@shared_task(name="search.retry_index_outbox", ignore_result=True)
def retry_index_outbox() -> dict:
    """Retry search index writes that failed (engine down); safe to run any time."""
    return index_health.retry_pending_index_updates()
