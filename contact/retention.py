"""Form submissions are deleted after their page's retention period (shown to editors and
to the people who fill in the form). Run daily by Celery beat and ``manage.py
delete_expired_form_submissions``."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from .models import FormPage


def delete_expired_submissions(now: datetime.datetime | None = None) -> int:
    """Delete every submission older than its page's retention period; returns how many."""
    now = now or timezone.now()
    deleted = 0
    for page in FormPage.objects.only("pk", "retention_days"):
        cutoff = now - datetime.timedelta(days=page.retention_days)
        count, _by_model = FormSubmission.objects.filter(
            page_id=page.pk, submit_time__lt=cutoff
        ).delete()
        deleted += count
    return deleted
