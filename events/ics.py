"""iCalendar (.ics) for events, in Europe/Copenhagen with its VTIMEZONE."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from core.site_address import page_url

from .models import EventPage

PRODID = "-//Netværket for Social Innovation//Arrangementer//DA"


def organizer() -> vCalAddress:
    """The network as ORGANIZER: RFC 5546 requires one on PUBLISH and REQUEST, and mail
    clients show it as the sender of the invitation."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = settings.WAGTAIL_SITE_NAME
    return organizer


def event_uid(event) -> str:
    """One UID per event, whatever the registration or mail: the confirmation, the reminder
    and a later re-registration update the same calendar entry instead of adding another.
    The source page's id, so the Danish and English pages are one entry too."""
    return f"event-{event.source_event.pk}@socialinnovation.dk"


def _remember_sources(events) -> None:
    """Find every event's source page in one query (a feed lists up to 200 events)."""
    events = [event for event in events if getattr(event, "_source_event", None) is None]
    keys = {event.translation_key for event in events}
    if not keys:
        return
    first = dict(
        EventPage.objects.filter(translation_key__in=keys)
        .order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values_list("translation_key", "first")
    )
    sources = EventPage.objects.in_bulk(set(first.values()))
    for event in events:
        event._source_event = sources.get(first.get(event.translation_key)) or event


def calendar_for(events, method: str = "PUBLISH") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("x-wr-calname", "Netværket for Social Innovation")
    events = list(events)
    _remember_sources(events)
    for event in events:
        entry = Event()
        entry.add("uid", event_uid(event))
        entry.add("organizer", organizer())
        entry.add("dtstamp", timezone.now())
        entry.add("dtstart", timezone.localtime(event.start))
        entry.add("dtend", timezone.localtime(event.end))
        entry.add("summary", event.title)
        entry.add("description", event.summary)
        entry.add(
            "location",
            ", ".join(
                part
                for part in (
                    event.venue_name,
                    event.street_address,
                    f"{event.postal_code} {event.city}".strip(),
                )
                if part
            ),
        )
        entry.add("url", page_url(event))
        entry.add("sequence", event.latest_revision_id or 0)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
