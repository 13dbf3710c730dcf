"""Retention and GDPR: needs erased after the event, old registrations anonymised,
personal data exported and erased per account (registered in ``events.apps``)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Registration


def erase_needs_after_events(now=None) -> int:
    """Erase dietary and accessibility needs (possibly health data) once the event is over.

    They were given for that one event; keeping them longer has no purpose. Registrations are
    keyed on the source event, so every translation's registrations are covered at once.
    """
    now = now or timezone.now()
    return (
        Registration.objects.filter(event__end__lt=now)
        .exclude(needs="", needs_consent_at__isnull=True)
        .update(needs="", needs_consent_at=None)
    )


def anonymise_old_registrations(now=None) -> int:
    """Remove personal data of non-members' registrations a while after their event."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EVENT_REGISTRATION_RETENTION_DAYS)
    old = Registration.objects.filter(
        is_member=False, anonymised_at__isnull=True, event__end__lt=cutoff
    )
    count = 0
    for pk in old.values_list("pk", flat=True):
        # A distinct placeholder keeps the unique index on addresses free.
        Registration.objects.filter(pk=pk).update(
            name=_("Anonymiseret"),
            email="",
            email_normalised=f"anonymiseret-{pk}",
            organisation="",
            needs="",
            anonymised_at=now,
        )
        count += 1
    return count


def export_personal_data(user) -> list[dict]:
    return [
        {
            "event": r.event.title,
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "needs": r.needs,
            "created_at": r.created_at.isoformat(),
        }
        for r in Registration.objects.filter(user=user).select_related("event")
    ]


def erase_personal_data(user) -> None:
    for pk in Registration.objects.filter(user=user).values_list("pk", flat=True):
        Registration.objects.filter(pk=pk).update(
            user=None,
            name=_("Anonymiseret"),
            email="",
            email_normalised=f"anonymiseret-{pk}",
            organisation="",
            needs="",
            anonymised_at=timezone.now(),
        )
