from celery import shared_task


@shared_task
def delete_expired_form_submissions() -> int:
    """Beat: delete form submissions past their page's retention period."""
    from . import retention

    return retention.delete_expired_submissions()
