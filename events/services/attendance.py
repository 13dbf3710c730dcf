"""The editor's side of one event: counts, attendance, moving people to the waiting list.

Everything works on the event's source page (``EventPage.source_event``), which holds the
registrations of every translation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..models import EventPage, Registration, confirmation_window
from .mails import queue_status_email
from .registration import locked_event, purge_event_page_on_commit

Status = Registration.Status


@dataclass(frozen=True)
class RegistrationCounts:
    capacity: int
    confirmed: int
    waitlisted: int
    pending: int
    cancelled: int
    attended: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.confirmed, 0)

    @property
    def fill_percent(self) -> int:
        """Confirmed seats in per cent of the capacity (may pass 100 after promotions)."""
        return round(100 * self.confirmed / self.capacity) if self.capacity else 0


def registration_counts(event: EventPage, now=None) -> RegistrationCounts:
    """One query: how many are confirmed, waiting, pending (still confirmable), cancelled and
    marked as attended."""
    now = now or timezone.now()
    source = event.source_event
    counts = Registration.objects.filter(event_id=source.pk).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
        pending=Count(
            "pk", filter=Q(status=Status.PENDING, created_at__gt=now - confirmation_window())
        ),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    return RegistrationCounts(capacity=source.capacity, **counts)


def mark_attended(registrations, *, attended: bool = True, now=None) -> int:
    """Mark (or unmark) the given registrations as attended; cancelled ones are left alone.
    Returns how many changed; marking twice changes nothing the second time."""
    now = now or timezone.now()
    rows = Registration.objects.filter(pk__in=[r.pk for r in registrations]).exclude(
        status=Status.CANCELLED
    )
    if attended:
        return rows.filter(attended=False).update(attended=True, attended_at=now)
    return rows.filter(attended=True).update(attended=False, attended_at=None)


def move_to_waitlist(event: EventPage, registrations, now=None) -> int:
    """The editor's decision: these confirmed participants give up their seat and join the end
    of the waiting list (each gets the waiting-list e-mail through the outbox). Nobody else is
    promoted in their place: that stays the editor's call. Returns how many moved."""
    now = now or timezone.now()
    moved = 0
    with transaction.atomic():
        source = locked_event(event.source_event.pk)
        rows = Registration.objects.select_for_update().filter(
            event=source, pk__in=[r.pk for r in registrations], status=Status.CONFIRMED
        )
        for registration in rows.order_by("confirmed_at", "pk"):
            registration.status = Status.WAITLISTED
            registration.queued_at = now
            registration.attended, registration.attended_at = False, None
            registration.save()
            queue_status_email(registration)
            moved += 1
    if moved:
        purge_event_page_on_commit(source)
    return moved
