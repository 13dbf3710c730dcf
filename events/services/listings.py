"""Event listings shared by other apps (upcoming events)."""

from __future__ import annotations

from django.utils import timezone

from core.translations import one_per_translation
from members_area.access import visible_pages

from ..models import EventPage


def upcoming_events(user, locale=None, limit: int = 3):
    """The next events ``user`` may see, each once: in ``locale`` (default: the visitor's
    language) where translated, otherwise in Danish."""
    events = visible_pages(EventPage.objects.live().filter(end__gte=timezone.now()), user)
    return one_per_translation(events, locale).order_by("start")[:limit]
