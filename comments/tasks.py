"""Thin Celery wrappers around comments.services (imported inside each task). Comment e-mails
are sent by the outbox's tasks."""

from celery import shared_task


@shared_task
def delete_unconfirmed_comments_task() -> int:
    """Beat, once a day: public comments whose confirmation link expired are deleted."""
    from . import services

    return services.delete_unconfirmed()
