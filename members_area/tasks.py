from celery import shared_task


@shared_task
def send_password_reset_task(email: str) -> None:
    """Queue a password-reset e-mail if ``email`` belongs to an account (see the service)."""
    from . import services

    services.send_password_reset(email)
