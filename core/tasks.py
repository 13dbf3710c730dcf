"""Celery finds tasks in each app's ``tasks`` module; core's live with the code they run."""

from core.outbox.tasks import deliver_due_emails, deliver_emails, deliver_group_emails

__all__ = ["deliver_due_emails", "deliver_emails", "deliver_group_emails"]
