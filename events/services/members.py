"""A signed-in person's own registrations: "Mine tilmeldinger" and cancelling from the site.

Only registrations made with the account count (members register with it; the public's
registrations carry no account and are cancelled through the signed link in their e-mail).
"""

from __future__ import annotations

from django.utils import timezone, translation

from core.translations import default_language
from members_area.access import can_view_page

from ..models import EventPage, Registration
from .registration import cancel


def own_registration(user, registration_id: int) -> Registration | None:
    """``user``'s registration with this id; ``None`` for anyone else's (or none at all)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("event").filter(pk=registration_id, user=user).first()
    )


def cancel_own_registration(user, registration_id: int) -> Registration:
    """Cancel ``user``'s own registration; the freed seat goes to the first on the waiting
    list, as with the e-mailed link. Someone else's registration raises ``DoesNotExist``."""
    registration = own_registration(user, registration_id)
    if registration is None:
        raise Registration.DoesNotExist
    return cancel(registration)


def registrations_of(user, now=None) -> tuple[list[Registration], list[Registration]]:
    """``user``'s registrations: coming events (soonest first), then past ones (latest first).

    Cancelled registrations and pending ones whose confirmation has run out are left out; past
    events keep only what happened (a seat, a place on the waiting list). Each registration
    gets ``event_page`` (the event in the active language where a live translation exists,
    otherwise its source page), ``event_visible`` and ``event_url`` (``None`` when the person
    may not open it any more, e.g. a members' page after their membership ended).
    """
    now = now or timezone.now()
    registrations = list(
        Registration.objects.active(now)
        .filter(user=user)
        .select_related("event")
        .order_by("event__start", "pk")
    )
    language = (translation.get_language() or default_language()).split("-")[0]
    translated = {
        page.translation_key: page
        for page in EventPage.objects.live().filter(
            translation_key__in={r.event.translation_key for r in registrations},
            locale__language_code=language,
        )
    }
    upcoming, past = [], []
    for registration in registrations:
        page = translated.get(registration.event.translation_key, registration.event)
        registration.event_page = page
        registration.event_visible = can_view_page(page, user)
        registration.event_url = page.url if page.live and registration.event_visible else None
        if registration.event.end >= now:
            upcoming.append(registration)
        elif registration.status != Registration.Status.PENDING:
            past.append(registration)
    past.reverse()
    return upcoming, past
