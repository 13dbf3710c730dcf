"""Signed links in registration e-mails: confirm (expires, double opt-in) and cancel."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from ..models import Registration
from .errors import RegistrationError

CONFIRM_SALT = "events.registration.confirm"
CANCEL_SALT = "events.registration.cancel"


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


def registration_for_confirm_token(token: str) -> Registration:
    return _registration_from(token, salt=CONFIRM_SALT, max_age=confirmation_max_age())


def registration_for_cancel_token(token: str) -> Registration:
    return _registration_from(token, salt=CANCEL_SALT)
