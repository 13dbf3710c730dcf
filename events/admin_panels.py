"""The events' panel on the admin dashboard: upcoming events and how full they are."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.admin_panels import DashboardPanel
from core.translations import active_locale, one_per_translation, source_page_ids

from .models import EventPage, Registration

UPCOMING_LIMIT = 8


def upcoming_events_with_counts(limit: int = UPCOMING_LIMIT) -> list[EventPage]:
    """The next ``limit`` live events, each once (in the admin's language, else Danish), with
    ``confirmed``, ``waiting`` and ``capacity`` of the event itself: its source page, which
    holds the registrations and whose capacity governs every language. Three queries."""
    events = list(
        one_per_translation(
            EventPage.objects.live().filter(end__gte=timezone.now()), active_locale()
        )
        .order_by("start", "pk")
        .only("pk", "title", "start", "translation_key", "locale_id", "capacity")[:limit]
    )
    keys = [event.translation_key for event in events]
    sources = {
        row["translation_key"]: row
        for row in EventPage.objects.filter(
            translation_key__in=keys, pk__in=source_page_ids(EventPage.objects.all())
        ).values("pk", "translation_key", "capacity")
    }
    counts = {
        row["event_id"]: row
        for row in Registration.objects.filter(event_id__in=[s["pk"] for s in sources.values()])
        .values("event_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        )
    }
    for event in events:
        source = sources.get(event.translation_key, {"pk": event.pk, "capacity": event.capacity})
        row = counts.get(source["pk"], {})
        event.source_pk = source["pk"]
        event.seats = source["capacity"]
        event.confirmed = row.get("confirmed", 0)
        event.waiting = row.get("waiting", 0)
    return events


class UpcomingEventsPanel(DashboardPanel):
    name = "upcoming_events"
    template_name = "events/admin/dashboard_upcoming.html"
    order = 110
    permissions = ("events.view_registration", "events.change_registration")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        events = upcoming_events_with_counts()
        for event in events:
            event.registrations_url = reverse("events_admin_registrations", args=[event.source_pk])
        context.update(events=events, heading=_("Kommende arrangementer"))
        return context
