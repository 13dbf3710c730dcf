from smtplib import SMTPException

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

    Safe to run twice at once or again after a crash: see services.send_batch. Returns how
    many deliveries this run handled.
    """
    services.queue_deliveries(NewsletterSend.objects.get(pk=send_id))
    total = 0
    while handled := services.send_batch(send_id):
        total += handled
    return total


@shared_task(
    acks_late=True,
    autoretry_for=(OSError, SMTPException),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=8,
)
def send_confirmation_email(subscriber_id: int) -> bool:
    """Double opt-in e-mail of one subscriber; retried while the SMTP server is unreachable."""
    return services.send_confirmation_email(subscriber_id)


@shared_task
def dispatch_due_newsletters() -> int:
    """Beat, every minute: start scheduled sends whose time has come, resume interrupted ones,
    and send again the confirmation e-mails that failed (SMTP down when someone subscribed)."""
    due = list(services.due_sends().values_list("pk", flat=True))
    for send_id in due:
        send_newsletter.delay(send_id)
    services.retry_confirmation_emails()
    return len(due)
