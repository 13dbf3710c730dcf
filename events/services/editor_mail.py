"""E-mail from the secretariat to chosen registrants of an event, through the outbox.

One send is one group of outbox rows, keyed on the event and the exact subject and text; each
person's row has a dedupe key in that group, so submitting the same message again (a double
click, the back button) queues nothing more, while a new text is a new send.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url

from ..models import EventPage, Registration
from .mails import event_in_language_of
from .tokens import cancel_token

EDITOR_MESSAGE_KIND = "events.message"


def message_group(event: EventPage, subject: str, body: str) -> str:
    digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:16]
    return f"events.message:{event.source_event.pk}:{digest}"


def email_registrants(event: EventPage, registrations, *, subject: str, body: str) -> int:
    """Queue ``subject``/``body`` to each of ``registrations`` of ``event`` that has an address
    (anonymised ones have none); delivered after commit. Returns how many were newly queued:
    0 when exactly this message was queued for these people before."""
    subject, body = subject.strip(), body.strip()
    group = message_group(event, subject, body)
    people = [
        r
        for r in Registration.objects.filter(
            event_id=event.source_event.pk, pk__in=[r.pk for r in registrations]
        ).exclude(email="")
    ]
    keys = {r.pk: f"{group}:{r.pk}" for r in people}
    queued_before = set(
        OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list(
            "dedupe_key", flat=True
        )
    )
    rows = [
        {
            "recipient": r.email,
            "dedupe_key": keys[r.pk],
            "params": {"registration": r.pk, "subject": subject, "body": body},
        }
        for r in people
        if keys[r.pk] not in queued_before
    ]
    if not rows:
        return 0
    outbox.queue_many(EDITOR_MESSAGE_KIND, rows, group=group)
    new_ids = list(
        OutboundEmail.objects.filter(
            dedupe_key__in=[row["dedupe_key"] for row in rows], status=OutboundEmail.Status.PENDING
        ).values_list("pk", flat=True)
    )
    outbox.deliver_after_commit(new_ids)
    return len(rows)


@outbox.register_composer(EDITOR_MESSAGE_KIND)
def compose_editor_message(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """The editor's text as written, with the event's link (and the cancel link while the
    registration is active) below it, in the language the person registered in."""
    registration = (
        Registration.objects.select_related("event").filter(pk=row.params["registration"]).first()
    )
    if registration is None or not registration.email:
        return None
    with translation.override(registration.language):
        event = event_in_language_of(registration)
        active = registration.status in Registration.ACTIVE_STATUSES
        context = {
            "body": row.params["body"],
            "event": event,
            "event_url": page_url(event),
            "cancel_url": (
                absolute_url(reverse("events:cancel", args=[cancel_token(registration)]))
                if active
                else ""
            ),
        }
        return EmailMultiAlternatives(
            row.params["subject"],
            render_to_string("events/email/editor_message.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [registration.email],
        )
