"""A subscriber's personal data, for the members' GDPR export and erasure."""

from __future__ import annotations

from django.db.models import Q

from core.subscriptions import services as subscriptions

from ..models import Subscriber


def export_personal_data(user) -> list[dict]:
    return [
        {
            "email": s.email,
            "status": s.status,
            "lists": [str(lst) for lst in s.lists.all()],
            "consents": subscriptions.consent_history(s),
        }
        for s in Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email or "-"))
    ]


def erase_personal_data(user) -> None:
    Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email or "-")).delete()
