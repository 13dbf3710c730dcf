"""Business rules for events: registration, double opt-in, waiting list, reminders, retention.

Capacity is guarded by a row lock on the event (``select_for_update``): every decision that
hands out or frees a seat takes the lock first, so concurrent registrations and
cancellations on PostgreSQL are serialised per event and the capacity is never exceeded.
Seats go to confirmed registrations only; non-members hold no seat until they have confirmed
their e-mail address (double opt-in), and a pending registration whose confirmation link has
expired blocks nothing: registering again renews it. First come, first served: the waiting
list is ordered by the time a person joined it.

Whenever seats change, the event page's copy in the anonymous page cache is purged after the
transaction commits, so "N ledige pladser" is never stale.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import outbox, page_cache
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url
from core.translations import one_per_translation, translation_for
from members_area.access import is_member, visible_pages

from .ics import calendar_for
from .models import EventPage, Registration

CONFIRM_SALT = "events.registration.confirm"
CANCEL_SALT = "events.registration.cancel"


class RegistrationError(Exception):
    """Registration refused; ``str(error)`` is a message for the visitor. Nothing changed."""


class AlreadyRegistered(RegistrationError):
    """The address already holds a registration. The public form answers exactly as for a new
    one (no enumeration of who is registered); the address gets an e-mail saying so."""


# --- Tokens ------------------------------------------------------------------------------------


def confirm_token(registration: Registration) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(registration.pk))


def cancel_token(registration: Registration) -> str:
    return signing.Signer(salt=CANCEL_SALT).sign(str(registration.pk))


def _registration_from(token: str, *, salt: str, max_age=None) -> Registration:
    try:
        if max_age is None:
            pk = signing.Signer(salt=salt).unsign(token)
        else:
            pk = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise RegistrationError(_("Linket er udløbet. Tilmeld dig igen.")) from error
    except signing.BadSignature as error:
        raise RegistrationError(
            _("Linket er ugyldigt. Kopiér hele linket fra e-mailen.")
        ) from error
    registration = Registration.objects.select_related("event").filter(pk=pk).first()
    if registration is None:
        raise RegistrationError(_("Tilmeldingen findes ikke længere."))
    return registration


def confirmation_max_age() -> int:
    return int(settings.EVENT_CONFIRMATION_HOURS) * 3600


# --- Registering -------------------------------------------------------------------------------


def _check_event_open(event: EventPage) -> None:
    state = event.registration_state()
    if state == "over":
        raise RegistrationError(_("Arrangementet er afholdt."))
    if state == "not_yet":
        raise RegistrationError(_("Tilmeldingen er ikke åbnet endnu."))
    if state == "closed":
        raise RegistrationError(_("Tilmeldingen er lukket."))


def _allocate_seat(event: EventPage, registration: Registration) -> None:
    """Confirm or waitlist ``registration``; the caller holds the event's row lock."""
    taken = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    now = timezone.now()
    if taken < event.capacity:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = Registration.Status.WAITLISTED
        registration.queued_at = now
    registration.save()


def _locked_event(event_id: int) -> EventPage:
    return EventPage.objects.select_for_update().get(pk=event_id)


def register_for_event(
    event: EventPage,
    *,
    name: str,
    email: str,
    organisation: str = "",
    needs: str = "",
    needs_consent: bool = False,
    user=None,
) -> Registration:
    """Register someone for ``event`` (any translation of it: the registration belongs to
    the event's source page and remembers the language the person registered in).

    A member (``user`` in the Members group) registers only themselves, with their account's
    e-mail address, and is confirmed or waitlisted at once. Anyone else, on events open to
    non-members, gets a pending registration and an e-mail to confirm it (double opt-in).
    Registering again over a pending registration whose confirmation has expired renews it
    and sends a fresh link; a member also takes over a pending registration of their address.
    Dietary and accessibility needs can be health data: they are kept only with the person's
    explicit consent (``needs_consent``) and erased after the event (``erase_needs_after_events``).
    """
    member = is_member(user)
    needs = needs.strip() if needs_consent else ""
    if not member and not event.source_event.is_open_to_public:
        raise RegistrationError(_("Arrangementet er kun for medlemmer af netværket."))
    email = (email or "").strip()
    if member and email.lower() != (user.email or "").strip().lower():
        raise RegistrationError(
            _("Som medlem tilmelder du dig selv med e-mailadressen på din konto.")
        )
    try:
        validate_email(email)
    except ValidationError as error:
        raise RegistrationError(_("Skriv en gyldig e-mailadresse.")) from error
    if not name.strip():
        raise RegistrationError(_("Skriv dit navn."))

    language = event.locale.language_code
    try:
        with transaction.atomic():
            # Every translation of the event shares its source page's seats and lock.
            locked = _locked_event(event.source_event.pk)
            _check_event_open(locked)
            registration = _renewable_registration(locked, email, user if member else None)
            registration.language = language
            registration.user = user if member else None
            registration.name = name.strip()
            registration.email = email
            registration.organisation = organisation.strip()
            registration.needs = needs
            registration.needs_consent_at = timezone.now() if needs else None
            registration.is_member = member
            registration.status = Registration.Status.PENDING
            registration.created_at = timezone.now()
            registration.queued_at = registration.confirmed_at = None
            if member:
                _allocate_seat(locked, registration)
            else:
                registration.save()
            _queue_status_email(registration)
    except IntegrityError as error:  # the unique constraint caught a simultaneous duplicate
        raise AlreadyRegistered(_("Du er allerede tilmeldt dette arrangement.")) from error

    _purge_event_page_on_commit(locked)
    return registration


def _renewable_registration(event: EventPage, email: str, member_user) -> Registration:
    """The row to (re)use for this person, or refuse as a duplicate (event lock held).

    Confirmed and waitlisted registrations of the address (or of the member's account) and
    pending ones still awaiting confirmation are duplicates (the address is told by e-mail,
    see ``notify_already_registered``), except that a member, whose address is known from
    their account, may take over a pending one, and an expired pending one is renewed.
    """
    same_person = Q(email_normalised=email.lower())
    if member_user is not None:
        same_person |= Q(user=member_user)
    existing = Registration.objects.filter(
        same_person, event=event, status__in=Registration.ACTIVE_STATUSES
    )
    now = timezone.now()
    for registration in existing:
        renewable = registration.status == Registration.Status.PENDING and (
            member_user is not None or registration.confirmation_expired(now)
        )
        if not renewable:
            raise AlreadyRegistered(_("Du er allerede tilmeldt dette arrangement."))
    same_address = [r for r in existing if r.email_normalised == email.lower()]
    return same_address[0] if same_address else Registration(event=event)


def confirm_registration(token: str) -> Registration:
    """Double opt-in: the e-mailed link turns a pending registration into a seat (or a place
    on the waiting list). Confirming twice changes nothing."""
    registration = _registration_from(token, salt=CONFIRM_SALT, max_age=confirmation_max_age())
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("Tilmeldingen er afmeldt."))
        if registration.status != Registration.Status.PENDING:
            return registration
        _check_event_open(event)
        _allocate_seat(event, registration)
        _queue_status_email(registration)
    _purge_event_page_on_commit(event)
    return registration


def registration_for_confirm_token(token: str) -> Registration:
    return _registration_from(token, salt=CONFIRM_SALT, max_age=confirmation_max_age())


def registration_for_cancel_token(token: str) -> Registration:
    return _registration_from(token, salt=CANCEL_SALT)


def cancel_registration(token: str) -> Registration:
    """Cancel through the signed link; a freed seat goes to the first on the waiting list."""
    registration = registration_for_cancel_token(token)
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            return registration
        if event.end <= timezone.now():
            raise RegistrationError(_("Arrangementet er afholdt."))
        freed_seat = registration.status == Registration.Status.CONFIRMED
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save()
        if freed_seat:
            _promote_waiting(event)
    _purge_event_page_on_commit(event)
    return registration


def _promote_waiting(event: EventPage) -> list[Registration]:
    """Fill free seats from the waiting list, first come first served (lock held)."""
    free = (
        event.capacity
        - Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).count()
    )
    promoted = []
    if free <= 0:
        return promoted
    waiting = (
        Registration.objects.select_for_update()
        .filter(event=event, status=Registration.Status.WAITLISTED)
        .order_by("queued_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save()
        promoted.append(registration)
        _queue_status_email(registration, promoted=True)
    return promoted


def promote_from_waitlist(registration: Registration) -> Registration:
    """Editor's decision in the admin: give this waiting person a seat, even above capacity."""
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("Kun personer på ventelisten kan rykkes op."))
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save()
        _queue_status_email(registration, promoted=True)
    _purge_event_page_on_commit(event)
    return registration


def delete_registration(registration: Registration) -> list[Registration]:
    """Editor deletes a registration in the admin. A seat it held on an event still to come
    goes to the first on the waiting list, as when the person cancels; returns those promoted.
    """
    with transaction.atomic():
        event = _locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().filter(pk=registration.pk).first()
        if registration is None:  # deleted meanwhile (double submit)
            return []
        freed_seat = (
            registration.status == Registration.Status.CONFIRMED and event.end > timezone.now()
        )
        registration.delete()
        promoted = _promote_waiting(event) if freed_seat else []
    _purge_event_page_on_commit(event)
    return promoted


def _purge_event_page_on_commit(event: EventPage) -> None:
    """The free seats shown on the event page changed: drop its anonymous cached copy."""
    transaction.on_commit(lambda: page_cache.purge_page(event))


# --- E-mail ------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return absolute_url(path)


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
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=row.params["registration"], status__in=Registration.ACTIVE_STATUSES)
        .first()
    )
    if registration is None or not registration.email:
        return None
    with translation.override(registration.language):
        event = event_in_language_of(registration)
        context = {
            "registration": registration,
            "event": event,
            "event_url": page_url(event),
            "cancel_url": _absolute(reverse("events:cancel", args=[cancel_token(registration)])),
        }
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


def _queue_status_email(registration: Registration, promoted: bool = False) -> None:
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
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=row.params["registration"], status=row.params["status"])
        .first()
    )
    if registration is None or not registration.email:
        return None
    with translation.override(registration.language):
        return _registration_message(registration, row.params.get("promoted", False))


def _registration_message(registration: Registration, promoted: bool) -> EmailMultiAlternatives:
    event = event_in_language_of(registration)
    context = {
        "registration": registration,
        "event": event,
        "promoted": promoted,
        "event_url": page_url(event),
        "confirm_url": _absolute(reverse("events:confirm", args=[confirm_token(registration)])),
        "cancel_url": _absolute(reverse("events:cancel", args=[cancel_token(registration)])),
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


def send_reminders(now=None) -> int:
    """Queue reminders for confirmed participants N days before; each person once
    (``reminder_sent_at`` is set in the transaction that queues the outbox message)."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.EVENT_REMINDER_DAYS)
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__start__gt=now,
        event__start__lte=horizon,
    )
    queued = 0
    for registration in due:
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if claimed:
                queued += bool(
                    outbox.queue_email(
                        REMINDER_KIND,
                        registration.email,
                        params={"registration": registration.pk},
                        dedupe_key=f"events.reminder:{registration.pk}",
                    )
                )
    return queued


@outbox.register_composer(REMINDER_KIND)
def compose_reminder(row: OutboundEmail) -> EmailMultiAlternatives | None:
    registration = (
        Registration.objects.select_related("event")
        .filter(pk=row.params["registration"], status=Registration.Status.CONFIRMED)
        .first()
    )
    if registration is None or not registration.email:
        return None
    with translation.override(registration.language):
        event = event_in_language_of(registration)
        context = {
            "registration": registration,
            "event": event,
            "event_url": page_url(event),
            "cancel_url": _absolute(reverse("events:cancel", args=[cancel_token(registration)])),
        }
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


def erase_needs_after_events(now=None) -> int:
    """Erase dietary and accessibility needs (possibly health data) once the event is over.

    They were given for that one event; keeping them longer has no purpose. Registrations are
    keyed on the source event, so every translation's registrations are covered at once.
    """
    now = now or timezone.now()
    return (
        Registration.objects.filter(event__end__lt=now)
        .exclude(needs="", needs_consent_at__isnull=True)
        .update(needs="", needs_consent_at=None)
    )


def anonymise_old_registrations(now=None) -> int:
    """Remove personal data of non-members' registrations a while after their event."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EVENT_REGISTRATION_RETENTION_DAYS)
    old = Registration.objects.filter(
        is_member=False, anonymised_at__isnull=True, event__end__lt=cutoff
    )
    count = 0
    for pk in old.values_list("pk", flat=True):
        # A distinct placeholder keeps the unique index on addresses free.
        Registration.objects.filter(pk=pk).update(
            name=_("Anonymiseret"),
            email="",
            email_normalised=f"anonymiseret-{pk}",
            organisation="",
            needs="",
            anonymised_at=now,
        )
        count += 1
    return count


# --- Listings and personal data ----------------------------------------------------------------


def upcoming_events(user, locale=None, limit: int = 3):
    """The next events ``user`` may see, each once: in ``locale`` (default: the visitor's
    language) where translated, otherwise in Danish."""
    events = visible_pages(EventPage.objects.live().filter(end__gte=timezone.now()), user)
    return one_per_translation(events, locale).order_by("start")[:limit]


def export_personal_data(user) -> list[dict]:
    return [
        {
            "event": r.event.title,
            "status": r.status,
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "needs": r.needs,
            "created_at": r.created_at.isoformat(),
        }
        for r in Registration.objects.filter(user=user).select_related("event")
    ]


def erase_personal_data(user) -> None:
    for pk in Registration.objects.filter(user=user).values_list("pk", flat=True):
        Registration.objects.filter(pk=pk).update(
            user=None,
            name=_("Anonymiseret"),
            email="",
            email_normalised=f"anonymiseret-{pk}",
            organisation="",
            needs="",
            anonymised_at=timezone.now(),
        )
