"""The value carried by a signed link in an e-mail (a confirmation, a cancellation).

One reading for every app: a link whose signature does not match was cut short or changed
(copied from a wrapped line); a time-stamped one past ``max_age`` has expired. Each app says
what expiry means to its reader (``expired``), and raises its own error class.
"""

from __future__ import annotations

from django.core import signing
from django.utils.translation import gettext_lazy as _

INVALID = _("Linket er ugyldigt. Kopiér hele linket fra e-mailen.")


def read(token: str, *, salt: str, max_age: int | None, error: type[Exception], expired) -> str:
    """The signed value of ``token``; ``error(expired)`` or ``error(INVALID)`` if unusable.

    ``max_age=None`` reads a link without a time stamp (it never expires)."""
    try:
        if max_age is None:
            return signing.Signer(salt=salt).unsign(token)
        return signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise error(str(expired)) from exc
    except signing.BadSignature as exc:
        raise error(str(INVALID)) from exc
