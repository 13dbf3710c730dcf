"""Rules around a form submission: spam defence and the e-mail to the secretariat (an outbox
message, ``core.outbox``).

Spam defence, in the order a submission meets it:
- a honeypot field people never see (filled in: a bot; it is told "thank you", nothing kept);
- a signed time stamp from when the form was shown: sent back faster than a person types
  (``CONTACT_FORM_MIN_SECONDS``), or without a valid stamp, the form comes back with a clear
  message and everything typed kept;
- the ``contact_form`` rate-limit policy (``core.ratelimits``): per client IP and per e-mail
  address typed into the form, one budget for every form page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox, ratelimits
from core.outbox.models import OutboundEmail

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "url_homepage"  # a name bots like to fill in, unlikely as a field label
STARTED_FIELD = "form_started"
_SALT = "contact.form-started"
SUBMISSION_KIND = "contact.submission"  # outbox kind


@dataclass
class Verdict:
    is_bot: bool = False
    error: str = ""


def fill_started_token() -> str:
    """A signed time stamp for the moment the form is shown (checked when it comes back)."""
    return signing.TimestampSigner(salt=_SALT).sign(str(int(timezone.now().timestamp())))


def _seconds_since_shown(token: str) -> float | None:
    try:
        shown = signing.TimestampSigner(salt=_SALT).unsign(
            token, max_age=settings.CONTACT_FORM_MAX_AGE_SECONDS
        )
        return timezone.now().timestamp() - int(shown)
    except (signing.BadSignature, ValueError):
        return None


def _submitted_address(page, cleaned_data: dict) -> str | None:
    """The e-mail address typed into the form's first e-mail field, if it has one."""
    for field in page.get_form_fields():
        if field.field_type == "email" and cleaned_data.get(field.clean_name):
            return str(cleaned_data[field.clean_name])
    return None


def screen_submission(request, page, cleaned_data: dict) -> Verdict:
    """Decide whether a valid-looking submission is kept, refused with a message, or a bot's."""
    if request.POST.get(HONEYPOT_FIELD, "").strip():
        logger.info("Form %s: honeypot filled in, submission dropped", page.pk)
        return Verdict(is_bot=True)
    elapsed = _seconds_since_shown(request.POST.get(STARTED_FIELD, ""))
    if elapsed is None:
        return Verdict(
            error=_("Formularen er udløbet eller ufuldstændig. Tjek felterne, og send den igen.")
        )
    if elapsed < settings.CONTACT_FORM_MIN_SECONDS:
        return Verdict(
            error=_("Formularen blev sendt meget hurtigt. Tjek felterne, og send den igen.")
        )
    address = _submitted_address(page, cleaned_data)
    limited = ratelimits.is_limited(request, "contact_form", address=address)
    if limited:
        return Verdict(
            error=_(
                "Vi har modtaget mange henvendelser fra dig på kort tid. Vent en time, og "
                "prøv igen – eller skriv direkte til sekretariatet."
            )
        )
    return Verdict()


def notify_secretariat(page, submission, body: str) -> int:
    """Queue the submission's e-mail to each of the page's recipients in the outbox (call it in
    the transaction that stores the submission). The stored submission is the record; the
    outbox retries while the mail server is down. Returns how many were queued."""
    addresses = [a.strip() for a in page.to_address.split(",") if a.strip()]
    subject = page.subject or _("Ny henvendelse via %(title)s") % {"title": page.title}
    queued = 0
    for address in addresses:
        queued += bool(
            outbox.queue_email(
                SUBMISSION_KIND,
                address,
                subject=subject,
                text=body,
                params={"from": page.from_address or settings.DEFAULT_FROM_EMAIL},
                dedupe_key=f"{SUBMISSION_KIND}:{submission.pk}:{address.lower()}",
            )
        )
    return queued


@outbox.register_composer(SUBMISSION_KIND)
def compose_submission(row: OutboundEmail) -> EmailMessage:
    """The stored message, from the page's sender address (editors choose it per form)."""
    return EmailMessage(row.subject, row.body_text, row.params.get("from"), [row.recipient])
