import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=8)
def send_alert_confirmation_task(self, subscription_id: int) -> bool:
    """The double opt-in e-mail of a new post-alert subscription."""
    from . import sending

    try:
        return sending.send_confirmation(subscription_id)
    except OSError as error:  # smtplib's errors are OSErrors too
        if self.request.is_eager:  # in the request (no broker): logged, never raised
            logger.warning("alert confirmation failed: %r", error)
            return False
        raise self.retry(exc=error, countdown=min(600, 30 * 2**self.request.retries)) from error


@shared_task
def queue_post_alerts_task(post_key: str, page_id: int) -> int:
    """A post was published for the first time: queue one alert per subscriber it concerns."""
    from . import services

    return services.queue_post_alerts(post_key, page_id)


@shared_task
def send_post_alerts_task(post_key: str) -> int:
    """Send the queued alerts of one post (idempotent: each row is claimed once). With the
    mail server down the rest stays queued for ``recover_post_alerts_task``."""
    from . import sending

    try:
        return sending.send_post_alerts(post_key)
    except sending.NOT_DELIVERED as error:
        logger.warning("post alerts wait for the mail server: %r", error)
        return 0


@shared_task
def send_daily_digests_task() -> int:
    """Beat, once a day: one e-mail per digest subscriber with the day's posts."""
    from . import sending

    return sending.send_daily_digests()


@shared_task
def recover_post_alerts_task() -> int:
    """Beat: alerts whose worker died mid-send become ``unknown`` (never resent); alerts still
    queued after their task gave up are sent."""
    from . import sending

    sending.release_stale_claims()
    return sending.retry_queued()
