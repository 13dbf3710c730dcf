"""iCalendar (.ics) for events, in Europe/Copenhagen with its VTIMEZONE."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Netværket for Social Innovation//Arrangementer//DA"


def calendar_for(events, method: str = "PUBLISH") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    calendar.add("x-wr-calname", "Netværket for Social Innovation")
    for event in events:
        entry = Event()
        entry.add("uid", f"event-{event.pk}@socialinnovation.dk")
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
        entry.add("url", event.get_full_url() or settings.BASE_URL)
        entry.add("sequence", event.latest_revision_id or 0)
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
