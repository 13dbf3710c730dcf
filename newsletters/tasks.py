from celery import shared_task

from . import services
from .models import NewsletterSend


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=10,
)
def send_newsletter(send_id: int) -> int:
    """Queue the deliveries of a send and work through them batch by batch.

    Safe to run twice at once or again after a crash: see services.send_batch.
    """
    services.queue_deliveries(NewsletterSend.objects.get(pk=send_id))
    total = 0
    while sent := services.send_batch(send_id):
        total += sent
    return total


@shared_task
def dispatch_due_newsletters() -> int:
    """Beat: start scheduled sends whose time has come (and resume interrupted ones)."""
    due = list(services.due_sends().values_list("pk", flat=True))
    for send_id in due:
        send_newsletter.delay(send_id)
    return len(due)
