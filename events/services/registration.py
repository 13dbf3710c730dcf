"""Registering, confirming, cancelling and the waiting list, under the event's row lock.

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

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import page_cache
from members_area.access import is_member

from ..models import EventPage, Registration
from .errors import AlreadyRegistered, RegistrationError
from .mails import queue_status_email
from .tokens import registration_for_cancel_token, registration_for_confirm_token


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


def locked_event(event_id: int) -> EventPage:
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
            locked = locked_event(event.source_event.pk)
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
            queue_status_email(registration)
    except IntegrityError as error:  # the unique constraint caught a simultaneous duplicate
        raise AlreadyRegistered(_("Du er allerede tilmeldt dette arrangement.")) from error

    purge_event_page_on_commit(locked)
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
    registration = registration_for_confirm_token(token)
    with transaction.atomic():
        event = locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationError(_("Tilmeldingen er afmeldt."))
        if registration.status != Registration.Status.PENDING:
            return registration
        _check_event_open(event)
        _allocate_seat(event, registration)
        queue_status_email(registration)
    purge_event_page_on_commit(event)
    return registration


def cancel_registration(token: str) -> Registration:
    """Cancel through the signed link; a freed seat goes to the first on the waiting list."""
    return cancel(registration_for_cancel_token(token))


def cancel(registration: Registration) -> Registration:
    """Cancel ``registration``, which the caller has checked is the person's to cancel (a
    signed link, their own account). A freed seat goes to the first on the waiting list;
    cancelling twice changes nothing; an event that is over can no longer be cancelled."""
    with transaction.atomic():
        event = locked_event(registration.event_id)
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
    purge_event_page_on_commit(event)
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
        queue_status_email(registration, promoted=True)
    return promoted


def promote_from_waitlist(registration: Registration) -> Registration:
    """Editor's decision in the admin: give this waiting person a seat, even above capacity."""
    with transaction.atomic():
        event = locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.WAITLISTED:
            raise RegistrationError(_("Kun personer på ventelisten kan rykkes op."))
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save()
        queue_status_email(registration, promoted=True)
    purge_event_page_on_commit(event)
    return registration


def delete_registration(registration: Registration) -> list[Registration]:
    """Editor deletes a registration in the admin. A seat it held on an event still to come
    goes to the first on the waiting list, as when the person cancels; returns those promoted.
    """
    with transaction.atomic():
        event = locked_event(registration.event_id)
        registration = Registration.objects.select_for_update().filter(pk=registration.pk).first()
        if registration is None:  # deleted meanwhile (double submit)
            return []
        freed_seat = (
            registration.status == Registration.Status.CONFIRMED and event.end > timezone.now()
        )
        registration.delete()
        promoted = _promote_waiting(event) if freed_seat else []
    purge_event_page_on_commit(event)
    return promoted


def purge_event_page_on_commit(event: EventPage) -> None:
    """The free seats shown on the event page changed: drop its anonymous cached copy."""
    transaction.on_commit(lambda: page_cache.purge_page(event))
