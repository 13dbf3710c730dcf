import logging

from celery import shared_task

logger = logging.getLogger(__name__)


def _retry_or_log(task, error):
    """Retried by the worker; in the request (no broker) a failed mail is logged, not raised."""
    if task.request.is_eager:
        logger.warning("%s failed, not retried inline: %r", task.name, error)
        return False
    raise task.retry(exc=error, countdown=min(600, 30 * 2**task.request.retries))


@shared_task(bind=True, max_retries=8)
def send_comment_confirmation_task(self, comment_id: int) -> bool:
    """The double opt-in e-mail of a comment written without an account."""
    from . import emails

    try:
        return emails.send_confirmation(comment_id)
    except OSError as error:  # smtplib's errors are OSErrors too
        return _retry_or_log(self, error)


@shared_task(bind=True, max_retries=8)
def send_reply_notification_task(self, comment_id: int) -> bool:
    """Tell a comment's author about an approved reply (once)."""
    from . import emails

    try:
        return emails.send_reply_notification(comment_id)
    except OSError as error:
        return _retry_or_log(self, error)
