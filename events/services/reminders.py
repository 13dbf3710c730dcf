"""Reminders to confirmed participants a few days before the event, each person once."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import outbox

from ..models import Registration
from .mails import REMINDER_KIND


def send_reminders(now=None) -> int:
    """Queue reminders for confirmed participants N days before; each person once
    (``reminder_sent_at`` is set in the transaction that queues the outbox message)."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.EVENT_REMINDER_DAYS)
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__start__gt=now,
        event__start__lte=horizon,
    )
    queued = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                queued += bool(
                    outbox.queue_email(
                        REMINDER_KIND,
                        registration.email,
                        params={"registration": registration.pk},
                        dedupe_key=f"events.reminder:{registration.pk}",
                    )
                )
    return queued
