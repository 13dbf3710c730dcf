"""Event e-mails through the outbox: status e-mails, "already registered", reminders.

Each kind has a composer registered with ``core.outbox``; the rows are queued in the
transaction that changed the registration and rendered in the person's language when sent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url
from core.translations import translation_for

from ..ics import calendar_for
from ..models import EventPage, Registration
from .tokens import cancel_token, confirm_token, confirmation_max_age


def _absolute(path: str) -> str:
    return absolute_url(path)


def _addressable(row: OutboundEmail, **status) -> Registration | None:
    """The row's registration while it is still in ``status`` and has an address."""
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=row.params["registration"], **status)
        .first()
    )
    return registration if registration is not None and registration.email else None


def _context(registration: Registration, event: EventPage) -> dict:
    """What every registrant's e-mail links to: the event and the cancel link."""
    return {
        "registration": registration,
        "event": event,
        "event_url": page_url(event),
        "cancel_url": _absolute(reverse("events:cancel", args=[cancel_token(registration)])),
    }


ALREADY_REGISTERED_KIND = "events.already_registered"


def notify_already_registered(event: EventPage, email: str) -> None:
    """Tell ``email`` through the outbox that it is already registered for ``event``."""
    registration = (
        Registration.objects.filter(
            event=event,
            email_normalised=email.strip().lower(),
            status__in=Registration.ACTIVE_STATUSES,
        )
        .order_by("-created_at")
        .first()
    )
    if registration is not None:
        outbox.queue_email(
            ALREADY_REGISTERED_KIND, registration.email, params={"registration": registration.pk}
        )


@outbox.register_composer(ALREADY_REGISTERED_KIND)
def compose_already_registered(row: OutboundEmail) -> EmailMultiAlternatives | None:
    registration = _addressable(row, status__in=Registration.ACTIVE_STATUSES)
    if registration is None:
        return None
    with translation.override(registration.language):
        event = event_in_language_of(registration)
        context = _context(registration, event)
        return EmailMultiAlternatives(
            _("Du er allerede tilmeldt: %(title)s") % {"title": event.title},
            render_to_string("events/email/already_registered.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [registration.email],
        )


REGISTRATION_KIND = "events.registration"  # outbox kinds
REMINDER_KIND = "events.reminder"


def event_in_language_of(registration: Registration) -> EventPage:
    """The event's page in the language the person registered in (else its source page)."""
    return translation_for(registration.event, registration.language)


def queue_status_email(registration: Registration, promoted: bool = False) -> None:
    """Inside the transaction that changed the registration: its e-mail goes to the outbox,
    committed with the change, sent after COMMIT and retried until SMTP takes it. One unsent
    e-mail per registration and status: registering again while the first is still waiting
    (SMTP down) adds none."""
    group = f"events.registration:{registration.pk}:{registration.status}"
    waiting = OutboundEmail.objects.filter(
        group=group, status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING]
    )
    if registration.status in REGISTRATION_SUBJECTS and not waiting.exists():
        outbox.queue_email(
            REGISTRATION_KIND,
            registration.email,
            group=group,
            params={
                "registration": registration.pk,
                "status": registration.status,
                "promoted": promoted,
            },
        )


REGISTRATION_SUBJECTS = {
    Registration.Status.PENDING: gettext_lazy("Bekræft din tilmelding: %(title)s"),
    Registration.Status.CONFIRMED: gettext_lazy("Du er tilmeldt: %(title)s"),
    Registration.Status.WAITLISTED: gettext_lazy("Du er på venteliste: %(title)s"),
}


@outbox.register_composer(REGISTRATION_KIND)
def compose_registration_email(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """Confirmation / waiting-list / promotion e-mail, in the event's language; nothing if the
    registration has moved on to another status (that status queued its own e-mail)."""
    registration = _addressable(row, status=row.params["status"])
    if registration is None:
        return None
    with translation.override(registration.language):
        return _registration_message(registration, row.params.get("promoted", False))


def _registration_message(registration: Registration, promoted: bool) -> EmailMultiAlternatives:
    event = event_in_language_of(registration)
    context = {
        **_context(registration, event),
        "promoted": promoted,
        "confirm_url": _absolute(reverse("events:confirm", args=[confirm_token(registration)])),
        "confirmation_hours": confirmation_max_age() // 3600,
    }
    message = EmailMultiAlternatives(
        str(REGISTRATION_SUBJECTS[registration.status]) % {"title": event.title},
        render_to_string("events/email/registration.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
    )
    message.attach_alternative(
        render_to_string("events/email/registration.html", context), "text/html"
    )
    if registration.status == Registration.Status.CONFIRMED:
        message.attach(
            f"{event.slug}.ics",
            calendar_for([event], method="REQUEST"),
            "text/calendar; method=REQUEST; charset=utf-8",
        )
    return message


@outbox.register_composer(REMINDER_KIND)
def compose_reminder(row: OutboundEmail) -> EmailMultiAlternatives | None:
    registration = _addressable(row, status=Registration.Status.CONFIRMED)
    if registration is None:
        return None
    with translation.override(registration.language):
        event = event_in_language_of(registration)
        context = _context(registration, event)
        message = EmailMultiAlternatives(
            _("Påmindelse: %(title)s") % {"title": event.title},
            render_to_string("events/email/reminder.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [registration.email],
        )
    message.attach(
        f"{event.slug}.ics",
        calendar_for([event], method="REQUEST"),
        "text/calendar; method=REQUEST; charset=utf-8",
    )
    return message
