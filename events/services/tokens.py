"""Signed links in registration e-mails: confirm (expires, double opt-in) and cancel."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import signed_links

from ..models import Registration
from .errors import RegistrationError

CONFIRM_SALT = "events.registration.confirm"
CANCEL_SALT = "events.registration.cancel"
LINK_EXPIRED = gettext_lazy("Linket er udløbet. Tilmeld dig igen.")


def confirm_token(registration: Registration) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(registration.pk))


def cancel_token(registration: Registration) -> str:
    return signing.Signer(salt=CANCEL_SALT).sign(str(registration.pk))


def _registration_from(token: str, *, salt: str, max_age=None) -> Registration:
    pk = signed_links.read(
        token, salt=salt, max_age=max_age, error=RegistrationError, expired=LINK_EXPIRED
    )
    registration = Registration.objects.select_related("event").filter(pk=pk).first()
    if registration is None:
        raise RegistrationError(_("Tilmeldingen findes ikke længere."))
    return registration


def confirmation_max_age() -> int:
    return int(settings.EVENT_CONFIRMATION_HOURS) * 3600


def registration_for_confirm_token(token: str) -> Registration:
    return _registration_from(token, salt=CONFIRM_SALT, max_age=confirmation_max_age())


def registration_for_cancel_token(token: str) -> Registration:
    return _registration_from(token, salt=CANCEL_SALT)
