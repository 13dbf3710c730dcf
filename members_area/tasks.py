from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=5)
def send_password_reset_task(email: str) -> None:
    """E-mail a password-reset link if ``email`` belongs to an account (see the service)."""
    services.send_password_reset(email)
