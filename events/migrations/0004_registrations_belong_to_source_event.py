"""Registrations made on a translated event page move to the event's source page.

Until now each locale's copy of an event had its own registrations. From here on an event's
registrations belong to its source page (the translation created first, lowest id), and each
registration remembers the language of the page it was made on.

When the same address held an active registration on two copies, the better one is kept
(confirmed before waitlisted before pending, then the earlier) and the other is cancelled:
the database allows one active registration per address and event. Nobody loses a seat they
held; an event booked above capacity through its copies stays so until people cancel.
"""

from django.db import migrations
from django.db.models import Min
from django.utils import timezone

ACTIVE = ("pending", "confirmed", "waitlisted")
RANK = {"confirmed": 0, "waitlisted": 1, "pending": 2}


def move_to_source(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    Registration = apps.get_model("events", "Registration")
    source_of_key = dict(
        EventPage.objects.order_by()
        .values("translation_key")
        .annotate(first=Min("pk"))
        .values_list("translation_key", "first")
    )
    events = EventPage.objects.values_list("pk", "translation_key", "locale__language_code")
    now = timezone.now()
    for pk, key, language in events:
        Registration.objects.filter(event_id=pk).update(language=language)
        source = source_of_key[key]
        if source == pk:
            continue
        for moved in Registration.objects.filter(event_id=pk).order_by("pk"):
            moved.event_id = source
            if moved.status in ACTIVE:
                held = (
                    Registration.objects.filter(
                        event_id=source,
                        email_normalised=moved.email_normalised,
                        status__in=ACTIVE,
                    )
                    .exclude(pk=moved.pk)
                    .first()
                )
                if held is not None:
                    keep_moved = (RANK[moved.status], moved.created_at) < (
                        RANK[held.status],
                        held.created_at,
                    )
                    loser = held if keep_moved else moved
                    loser.status = "cancelled"
                    loser.cancelled_at = now
                    if loser is held:
                        held.save(update_fields=["status", "cancelled_at"])
            moved.save(update_fields=["event", "status", "cancelled_at"])


class Migration(migrations.Migration):
    dependencies = [("events", "0003_registration_language")]

    operations = [migrations.RunPython(move_to_source, migrations.RunPython.noop)]
