"""Thin Celery wrappers around events.services (imported inside each task)."""

from celery import shared_task


@shared_task
def send_event_reminders() -> int:
    """Beat: queue reminders before events (each participant once) in the outbox."""
    from . import services

    return services.send_reminders()


@shared_task
def anonymise_event_registrations() -> int:
    """Beat: remove non-members' personal data after the retention period."""
    from . import services

    return services.anonymise_old_registrations()


@shared_task
def erase_event_needs() -> int:
    """Beat: erase dietary and accessibility needs after each event."""
    from . import services

    return services.erase_needs_after_events()


@shared_task
def announce_materials_task(event_id: int) -> int:
    """After an event page is published: e-mail its materials to the participants, once each."""
    from . import services

    return services.announce_materials(event_id)


@shared_task
def announce_due_materials() -> int:
    """Beat: e-mail the materials of events that have just begun (published before the start)."""
    from . import services

    return services.announce_due_materials()
