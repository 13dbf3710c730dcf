"""A subscriber's personal data, for the members' GDPR export and erasure."""

from __future__ import annotations

from django.db.models import Q

from ..models import Subscriber


def export_personal_data(user) -> list[dict]:
    return [
        {
            "email": s.email,
            "status": s.status,
            "lists": [str(lst) for lst in s.lists.all()],
            "consents": [
                {
                    "action": c.action,
                    "at": c.created_at.isoformat(),
                    "source": c.source,
                    "text_version": c.consent_text_version,
                }
                for c in s.consents.all()
            ],
        }
        for s in Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email or "-"))
    ]


def erase_personal_data(user) -> None:
    Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email or "-")).delete()
