"""Thin Celery wrappers around newsletters.services (imported inside each task)."""

from celery import shared_task


@shared_task(acks_late=True)
def send_newsletter(send_id: int) -> int:
    """Queue the messages of a send and work through them batch by batch.

    Safe to run twice at once or again after a crash (see services.send_all); what SMTP
    refused or never received is retried by the outbox's beat. Returns how many it sent.
    """
    from . import services

    return services.send_all(send_id)


@shared_task
def subscribe_task(email: str, name: str, list_ids: list[int], source: str) -> None:
    """A public sign-up, decided here so every address costs the request the same."""
    from . import services
    from .models import NewsletterList

    services.subscribe(
        email=email,
        name=name,
        lists=list(NewsletterList.objects.filter(pk__in=list_ids)) or None,
        source=source,
    )


@shared_task
def dispatch_due_newsletters() -> int:
    """Beat, every minute: start scheduled sends whose time has come, resume interrupted ones
    and mark finished ones done."""
    from . import services

    due = list(services.due_sends().values_list("pk", flat=True))
    for send_id in due:
        send_newsletter.delay(send_id)
    return len(due)
