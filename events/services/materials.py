"""Materials after an event: one e-mail to the participants when they are first published, and
members' events keep their materials for members.

The announcement runs when an event page is published (``events.signals``) and the event has
begun: after COMMIT a task queues one outbox e-mail per participant (confirmed, or marked as
attended) under the group ``event-materials:<source page id>``, each with a dedupe key per
registration, so publishing again (more materials, a correction) never mails anyone twice.
Recipients are checked again when each e-mail is composed: the materials of an event for
members go to current members only, and the e-mail carries nothing a recipient may not open.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.background import enqueue_after_commit
from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url
from members_area.access import is_member, is_members_only_page
from resources.services import protect_members_document

from ..materials import EventMaterial
from ..models import EventPage, Registration
from ..tasks import announce_materials_task
from .mails import event_in_language_of

MATERIALS_KIND = "events.materials"


def materials_group(event: EventPage) -> str:
    return f"event-materials:{event.pk}"


def _for_members_only(event: EventPage) -> bool:
    source = event.source_event
    return not source.is_open_to_public or is_members_only_page(source)


def protect_material_documents(page: EventPage) -> int:
    """The documents among the materials of an event for members go into the Members
    collection (as a members-only resource's files do), so their URLs ask for a member's
    login. Called for every save and draft of an event page; returns how many were moved."""
    if not _for_members_only(page):
        return 0
    moved = 0
    for material in page.materials.all():
        document = material.document if material.document_id else None
        if document is not None and not document.collection.get_view_restrictions().exists():
            protect_members_document(document)
            moved += 1
    return moved


def materials_published(page: EventPage) -> bool:
    """An event page was published: once the event has begun and has materials, announce them
    to its participants after COMMIT (each person once, ever). Returns whether it did."""
    source = page.source_event
    if (
        source.start > timezone.now()
        or not EventMaterial.objects.usable().filter(page=source).exists()
    ):
        return False
    enqueue_after_commit(announce_materials_task, source.pk)
    return True


def announce_due_materials(now=None) -> int:
    """Beat (hourly): announce the materials of events that began within the last day, so
    materials published before the start are mailed once it has come. Returns how many
    e-mails were offered to the outbox (those sent before are skipped by their dedupe key)."""
    now = now or timezone.now()
    begun = EventPage.objects.live().filter(
        start__lte=now, start__gt=now - datetime.timedelta(days=1), materials__isnull=False
    )
    return sum(announce_materials(pk) for pk in begun.values_list("pk", flat=True).distinct())


def _recipients(event: EventPage):
    registrations = Registration.objects.filter(
        Q(status=Registration.Status.CONFIRMED) | Q(attended=True),
        event=event,
        anonymised_at__isnull=True,
    ).exclude(email="")
    if _for_members_only(event):
        registrations = registrations.filter(user__isnull=False).select_related("user")
        return [r for r in registrations if is_member(r.user)]
    return list(registrations)


def announce_materials(event_id: int) -> int:
    """Queue the materials e-mail for every participant of the event not mailed before, then
    deliver them. Safe to run again: the dedupe key (event, registration) keeps one e-mail
    per person. Returns how many rows were offered to the outbox."""
    event = EventPage.objects.live().filter(pk=event_id).first()
    if event is None or not EventMaterial.objects.usable().filter(page=event).exists():
        return 0
    group = materials_group(event)
    queued = outbox.queue_many(
        MATERIALS_KIND,
        (
            {
                "recipient": registration.email,
                "dedupe_key": f"{group}:{registration.pk}",
                "params": {"registration": registration.pk},
            }
            for registration in _recipients(event)
        ),
        group=group,
    )
    outbox.deliver_group(group)
    return queued


@outbox.register_composer(MATERIALS_KIND)
def compose_materials_email(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """The materials e-mail, in the language the person registered in, with the links they may
    open; nothing when they may see none (no longer a member, registration cancelled)."""
    registration = (
        Registration.objects.select_related("event", "user")
        .filter(Q(status=Registration.Status.CONFIRMED) | Q(attended=True))
        .filter(pk=row.params["registration"])
        .first()
    )
    if registration is None or not registration.email:
        return None
    with translation.override(registration.language):
        event = event_in_language_of(registration)
        materials = event.materials_for(registration.user)
        if not materials:
            return None
        context = {
            "event": event,
            "event_url": page_url(event) + "#materialer",
            "language": registration.language,
            "materials": [
                {
                    "title": material.title,
                    "kind": material.get_kind_display(),
                    "url": absolute_url(material.href) if material.document_id else material.href,
                }
                for material in materials
            ],
        }
        message = EmailMultiAlternatives(
            _("Materialer fra %(title)s") % {"title": event.title},
            render_to_string("events/email/materials.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [registration.email],
        )
        message.attach_alternative(
            render_to_string("events/email/materials.html", context), "text/html"
        )
    return message
