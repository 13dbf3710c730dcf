from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=8)
def send_registration_email_task(registration_id: int, promoted: bool = False) -> None:
    """Confirmation / waiting-list / promotion e-mail for one registration."""
    services.send_registration_email(registration_id, promoted)


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=8)
def send_already_registered_email_task(registration_id: int) -> None:
    """Someone registered an address again: tell the address, nothing else changes."""
    services.send_already_registered_email(registration_id)


@shared_task
def send_event_reminders() -> int:
    """Beat: reminders before events (each participant once)."""
    return services.send_reminders()


@shared_task
def anonymise_event_registrations() -> int:
    """Beat: remove non-members' personal data after the retention period."""
    return services.anonymise_old_registrations()


@shared_task
def erase_event_needs() -> int:
    """Beat: erase dietary and accessibility needs after each event."""
    return services.erase_needs_after_events()
