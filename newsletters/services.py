"""Business rules of newsletters: consent, double opt-in, rendering and reliable sending.

Sending guarantees (see ``send_batch``): **at most once** per (send, subscriber).
- one ``Delivery`` row per (send, subscriber), unique in the database; rows are created once,
  when the send starts;
- a worker *claims* a batch of queued rows (``SELECT ... FOR UPDATE SKIP LOCKED`` on
  PostgreSQL), so concurrent workers never take the same row;
- each message is moved ``queued`` -> ``sending`` by a conditional UPDATE that commits before
  the message goes to the SMTP server, and to ``sent`` once the server accepted it (in the
  same commit as the next message's ``sending``: one commit per message). Only one worker can
  win that UPDATE, so no message is handed to SMTP twice;
- at that moment the subscriber must still be active: whoever unsubscribed, bounced or
  complained after the send was queued is ``skipped``, not mailed;
- a crash between handing a message to SMTP and recording the answer leaves the row in
  ``sending``: we cannot know whether it arrived. Once its claim is older than
  ``NEWSLETTER_CLAIM_TIMEOUT`` seconds it becomes ``unknown`` with a note, so the send can
  finish and the admin shows the count (a connection lost mid-message is recorded as
  ``unknown`` at once). Such rows are never resent automatically.

The trade-off: at most one message per worker crash may be lost (``unknown``), never one sent
twice. A subscriber mailed twice complains; one who misses an issue finds it in the archive.
Rows claimed but not yet attempted return to the queue once their claim is older than
``NEWSLETTER_CLAIM_TIMEOUT`` seconds.

Confirmation e-mails (double opt-in) go through a Celery task sent after COMMIT, retried on
SMTP errors; with the broker down they are sent inline, and if SMTP is down too, the
subscription is kept and ``retry_confirmation_emails`` (beat) sends the mail later.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid

import css_inline
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.background import BROKER_ERRORS
from core.site_address import absolute_url, page_url

from .models import ConsentRecord, Delivery, NewsletterList, NewsletterSend, Subscriber

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsletters.confirm"
PREFERENCES_SALT = "newsletters.preferences"
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXT = _(
    "Ja tak, send mig Netværket for Social Innovations nyhedsbrev. Jeg kan altid afmelde mig "
    "med ét klik nederst i hvert nyhedsbrev."
)


SUPPRESSED = (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)


class SubscriptionError(Exception):
    """The link or input cannot be used; ``str(error)`` is a message for the visitor."""


def _absolute(path: str) -> str:
    return absolute_url(path)


def default_lists() -> list[NewsletterList]:
    lists = list(NewsletterList.objects.filter(is_default=True))
    if not lists:
        lists = [
            NewsletterList.objects.get_or_create(
                slug="nyhedsbrev", defaults={"name": "Nyhedsbrev", "is_default": True}
            )[0]
        ]
    return lists


def _record(subscriber, action, source=""):
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        source=source,
        consent_text_version=CONSENT_TEXT_VERSION if action in ("subscribe", "confirm") else "",
        consent_text=str(CONSENT_TEXT) if action in ("subscribe", "confirm") else "",
    )


# --- Subscribing ------------------------------------------------------------------------------


def subscribe(*, email: str, name: str = "", lists=None, source: str = "web") -> None:
    """Start double opt-in. Same outcome for new, known and suppressed addresses (no
    enumeration): only a pending or unsubscribed address gets a confirmation e-mail.

    The e-mail leaves after COMMIT through a Celery task; neither a dead broker nor a dead
    SMTP server fails the request (see ``request_confirmation_email``).
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise SubscriptionError(_("Skriv en gyldig e-mailadresse.")) from error
    try:
        with transaction.atomic():
            subscriber, _created = Subscriber.objects.get_or_create(
                email=email, defaults={"name": name}
            )
    except IntegrityError:
        subscriber = Subscriber.objects.get(email=email)
    if subscriber.status in (*SUPPRESSED, Subscriber.Status.ACTIVE):
        return
    with transaction.atomic():
        subscriber.status = Subscriber.Status.PENDING
        subscriber.name = name or subscriber.name
        subscriber.confirmation_requested_at = timezone.now()
        subscriber.save()
        subscriber.lists.set(lists or default_lists())
        _record(subscriber, ConsentRecord.Action.SUBSCRIBE, source)
        transaction.on_commit(lambda: request_confirmation_email(subscriber.pk))


# smtplib's errors are OSErrors too.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def request_confirmation_email(subscriber_id: int) -> None:
    """Hand the confirmation e-mail to Celery; never raises.

    With the broker down it is sent right here; with SMTP down as well it stays unsent
    (``confirmation_sent_at`` empty) and ``retry_confirmation_emails`` sends it later.
    """
    from .tasks import send_confirmation_email as task

    if task.app.conf.task_always_eager:
        # No broker configured (development): one inline attempt, not Celery's retry loop.
        _send_confirmation_or_leave_for_retry(subscriber_id)
        return
    try:
        task.delay(subscriber_id)
    except BROKER_ERRORS as error:
        logger.warning(
            "broker unavailable, sending the confirmation e-mail inline: %s",
            type(error).__name__,
        )
        _send_confirmation_or_leave_for_retry(subscriber_id)


def _send_confirmation_or_leave_for_retry(subscriber_id: int) -> None:
    try:
        send_confirmation_email(subscriber_id)
    except MAIL_ERRORS as error:
        logger.warning("confirmation e-mail failed, sent again later: %s", error)


def send_confirmation_email(subscriber_id: int) -> bool:
    """Send the double opt-in e-mail of a pending subscriber unless it already went out.

    Raises the SMTP error when the mail cannot be sent (the Celery task retries on it).
    """
    subscriber = Subscriber.objects.filter(
        pk=subscriber_id, status=Subscriber.Status.PENDING
    ).first()
    if subscriber is None or _confirmation_already_sent(subscriber):
        return False
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.key))
    context = {
        "url": _absolute(reverse("newsletters:confirm", args=[token])),
        "hours": confirm_max_age() // 3600,
    }
    EmailMultiAlternatives(
        _("Bekræft dit abonnement på nyhedsbrevet"),
        render_to_string("newsletters/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
    ).send()
    Subscriber.objects.filter(pk=subscriber.pk).update(confirmation_sent_at=timezone.now())
    return True


def _confirmation_already_sent(subscriber: Subscriber) -> bool:
    sent, requested = subscriber.confirmation_sent_at, subscriber.confirmation_requested_at
    return sent is not None and (requested is None or sent >= requested)


def retry_confirmation_emails(*, older_than: datetime.timedelta | None = None) -> int:
    """Send the confirmation e-mails that failed; returns how many went out.

    Only requests older than ``older_than`` (default 10 minutes, so the task's own retries go
    first) and young enough for the link to still be useful. Stops at the first SMTP error:
    the server is still down and the next beat run tries again.
    """
    now = timezone.now()
    older_than = older_than if older_than is not None else datetime.timedelta(minutes=10)
    unsent = (
        Subscriber.objects.filter(
            status=Subscriber.Status.PENDING,
            confirmation_requested_at__lte=now - older_than,
            confirmation_requested_at__gt=now - datetime.timedelta(seconds=confirm_max_age()),
        )
        .filter(
            Q(confirmation_sent_at__isnull=True)
            | Q(confirmation_sent_at__lt=F("confirmation_requested_at"))
        )
        .order_by("confirmation_requested_at")
        .values_list("pk", flat=True)
    )
    sent = 0
    for subscriber_id in unsent[:500]:
        try:
            sent += send_confirmation_email(subscriber_id)
        except MAIL_ERRORS as error:
            logger.warning("confirmation e-mails still failing: %s", error)
            break
    return sent


def confirm_max_age() -> int:
    return int(settings.NEWSLETTER_CONFIRM_HOURS) * 3600


def _subscriber_from(token: str, salt: str, max_age: int | None) -> Subscriber:
    try:
        key = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.SignatureExpired as error:
        raise SubscriptionError(_("Linket er udløbet. Tilmeld dig igen.")) from error
    except signing.BadSignature as error:
        raise SubscriptionError(
            _("Linket er ugyldigt. Kopiér hele linket fra e-mailen.")
        ) from error
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        raise SubscriptionError(_("Abonnementet findes ikke længere."))
    return subscriber


def confirm_subscription(token: str) -> Subscriber:
    subscriber = _subscriber_from(token, CONFIRM_SALT, confirm_max_age())
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = timezone.now()
        subscriber.save()
        _record(subscriber, ConsentRecord.Action.CONFIRM, "e-mail")
    elif subscriber.status != Subscriber.Status.ACTIVE:
        raise SubscriptionError(
            _("Abonnementet kan ikke genoptages via dette link. Tilmeld dig igen.")
        )
    return subscriber


def subscribe_member(user, lists=None) -> Subscriber:
    """A logged-in member subscribes from the profile: the account's address is verified.

    An address that bounced or complained stays suppressed: ``SubscriptionError`` says why.
    """
    subscriber, _created = Subscriber.objects.get_or_create(
        email=user.email.strip().lower(), defaults={"name": user.get_full_name(), "user": user}
    )
    if subscriber.status in SUPPRESSED:
        raise SubscriptionError(
            _(
                "Vi kan ikke sende nyhedsbrevet til %(email)s, fordi adressen har afvist vores "
                "e-mails eller markeret dem som spam. Skriv til os, hvis adressen virker igen, "
                "eller skift e-mailadresse på din profil."
            )
            % {"email": subscriber.email}
        )
    subscriber.user = user
    subscriber.status = Subscriber.Status.ACTIVE
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.save()
    subscriber.lists.set(lists or default_lists())
    _record(subscriber, ConsentRecord.Action.SUBSCRIBE, "profil")
    return subscriber


def subscriber_for_key(key) -> Subscriber:
    subscriber = Subscriber.objects.filter(key=key).first()
    if subscriber is None:
        raise SubscriptionError(_("Linket er ugyldigt."))
    return subscriber


def unsubscribe(subscriber: Subscriber, source: str = "link") -> None:
    if subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save()
        _record(subscriber, ConsentRecord.Action.UNSUBSCRIBE, source)


def preferences_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=PREFERENCES_SALT).sign(str(subscriber.key))


def subscriber_for_preferences(token: str) -> Subscriber:
    return _subscriber_from(token, PREFERENCES_SALT, max_age=60 * 60 * 24 * 365)


def update_preferences(subscriber: Subscriber, lists) -> None:
    if not lists:
        unsubscribe(subscriber, "indstillinger")
        return
    subscriber.lists.set(lists)
    _record(subscriber, ConsentRecord.Action.PREFERENCES, "indstillinger")


def suppress(email: str, reason: str) -> bool:
    """Hard bounce or complaint: never mail the address again."""
    subscriber = Subscriber.objects.filter(email=(email or "").strip().lower()).first()
    if subscriber is None:
        return False
    subscriber.status = (
        Subscriber.Status.COMPLAINED if reason == "complaint" else Subscriber.Status.BOUNCED
    )
    subscriber.save()
    _record(subscriber, ConsentRecord.Action.SUPPRESS, reason)
    return True


# --- Rendering --------------------------------------------------------------------------------


def render_newsletter(page) -> tuple[str, str]:
    """The e-mail as (HTML with inlined CSS, plain text), as the public may see it.

    Subscribers are public: chosen pages they may not open are left out, and members-only
    cases/resources show their teaser only (the block template asks ``access``).
    """
    context = {
        "page": page,
        "viewer": AnonymousUser(),
        "browser_url": page_url(page),
    }
    html = render_to_string("newsletters/email/newsletter.html", context)
    text = render_to_string("newsletters/email/newsletter.txt", context)
    return css_inline.inline(html), text


# --- Sending ----------------------------------------------------------------------------------


@transaction.atomic
def create_send(page, *, lists=None, scheduled_at=None, user=None) -> NewsletterSend:
    html, text = render_newsletter(page)
    send = NewsletterSend.objects.create(
        page=page,
        subject=page.title,
        html=html,
        text=text,
        scheduled_at=scheduled_at or timezone.now(),
        created_by=user,
    )
    send.lists.set(lists or default_lists())
    return send


def send_test(page, email: str) -> None:
    html, text = render_newsletter(page)
    message = EmailMultiAlternatives(
        f"[TEST] {page.title}", text, settings.DEFAULT_FROM_EMAIL, [email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def queue_deliveries(send: NewsletterSend) -> int:
    """Create the delivery rows when the send starts (once); later runs only resume it.

    Recipients are the active subscribers of the send's lists at that moment.
    """
    with transaction.atomic():
        locked = NewsletterSend.objects.select_for_update().get(pk=send.pk)
        if locked.status == NewsletterSend.Status.SCHEDULED:
            recipients = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
            lists = list(locked.lists.all())
            if lists:
                recipients = recipients.filter(lists__in=lists).distinct()
            Delivery.objects.bulk_create(
                [
                    Delivery(send=locked, subscriber_id=pk)
                    for pk in recipients.values_list("pk", flat=True)
                ],
                ignore_conflicts=True,
                batch_size=1000,
            )
            locked.status = NewsletterSend.Status.SENDING
            locked.started_at = timezone.now()
            locked.save(update_fields=["status", "started_at"])
    return send.deliveries.count()


def _claim_timeout() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)


def _claim(send_id: int, batch_size: int) -> tuple[uuid.UUID, list[int]]:
    claim = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(send_id=send_id, status=Delivery.Status.QUEUED)
            .filter(Q(claim__isnull=True) | Q(claimed_at__lt=_claim_timeout()))
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        Delivery.objects.filter(pk__in=ids).update(claim=claim, claimed_at=timezone.now())
    return claim, ids


def _message(send: NewsletterSend, subscriber: Subscriber, connection) -> EmailMultiAlternatives:
    unsubscribe_url = _absolute(reverse("newsletters:unsubscribe", args=[subscriber.key]))
    preferences_url = _absolute(
        reverse("newsletters:preferences", args=[preferences_token(subscriber)])
    )
    footer_html = render_to_string(
        "newsletters/email/footer.html",
        {"unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url},
    )
    footer_text = render_to_string(
        "newsletters/email/footer.txt",
        {"unsubscribe_url": unsubscribe_url, "preferences_url": preferences_url},
    )
    message = EmailMultiAlternatives(
        send.subject,
        send.text + footer_text,
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        connection=connection,
        headers={
            # RFC 8058 one-click unsubscribe (and RFC 2369).
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Netvaerket for Social Innovation <nyhedsbrev.socialinnovation.dk>",
            "X-Newsletter-Send": str(send.pk),
        },
    )
    message.attach_alternative(send.html.replace("</body>", footer_html + "</body>"), "text/html")
    return message


UNKNOWN_AFTER_CRASH = (
    "Afsendelsen blev afbrudt (nedbrud), efter e-mailen blev givet til mailserveren. Den kan "
    "være modtaget og sendes ikke igen automatisk."
)
UNKNOWN_AFTER_ERROR = (
    "Forbindelsen til mailserveren blev afbrudt under afsendelsen: e-mailen kan være modtaget "
    "og sendes ikke igen automatisk. Fejl: "
)
SKIPPED_NOTE = "Abonnenten var ikke længere aktiv, da det blev modtagerens tur."


def send_batch(send_id: int, batch_size: int | None = None) -> int:
    """Claim and send one batch over one SMTP connection.

    Returns how many deliveries it claimed (sent, skipped or failed); 0 means none are left to
    claim, and the send is then marked done when no row is queued or in flight. See the
    module docstring for the at-most-once guarantee.
    """
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    send = NewsletterSend.objects.get(pk=send_id)
    claim, ids = _claim(send_id, batch_size)
    if not ids:
        finish_if_done(send)
        return 0
    deliveries = Delivery.objects.filter(pk__in=ids, claim=claim).select_related("subscriber")
    accepted = None  # the message the server took last, until its row says "sent"
    connection = get_connection()
    try:
        connection.open()
        for delivery in deliveries:
            message = _message(send, delivery.subscriber, connection)
            # One commit per message: record the previous one as sent and this one as
            # sending, before this one goes to the server.
            with transaction.atomic():
                if accepted is not None:
                    _mark_sent(accepted)
                started = _start_sending(delivery, claim)
            accepted = None
            if not started:
                continue
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                # The server refused this address only; the connection is fine.
                _not_accepted(delivery, error)
                continue
            except smtplib.SMTPResponseException as error:
                # The server answered "no" (e.g. 421 during an outage): not delivered.
                _not_accepted(delivery, error)
                raise
            except Exception as error:
                # Connection lost or timed out while the message was on its way: it may have
                # arrived. At most once: record it as unknown, never resend.
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.UNKNOWN, error=(UNKNOWN_AFTER_ERROR + str(error))[:500]
                )
                raise
            accepted = delivery
    finally:
        if accepted is not None:
            _mark_sent(accepted)
        connection.close()
        # Whatever this worker claimed but did not attempt goes back to the queue now.
        Delivery.objects.filter(claim=claim, status=Delivery.Status.QUEUED).update(claim=None)
    return len(ids)


def _start_sending(delivery: Delivery, claim: uuid.UUID) -> bool:
    """Move the row to ``sending`` if it is still ours and queued and its subscriber still
    active; a subscriber who left is skipped."""
    still_active = Exists(
        Subscriber.objects.filter(pk=OuterRef("subscriber_id"), status=Subscriber.Status.ACTIVE)
    )
    # Only columns of the delivery row itself decide who wins (PostgreSQL re-checks them on
    # the locked row), so two workers can never both move it to "sending".
    started = (
        Delivery.objects.filter(pk=delivery.pk, claim=claim, status=Delivery.Status.QUEUED)
        .filter(still_active)
        .update(
            status=Delivery.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
        )
    )
    if not started:
        Delivery.objects.filter(pk=delivery.pk, claim=claim, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.SKIPPED, error=SKIPPED_NOTE
        )
    return bool(started)


def _mark_sent(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
    )


def _not_accepted(delivery: Delivery, error: Exception) -> None:
    """The server refused the message: queue it again, or fail it after the last attempt."""
    failed = delivery.attempts + 1 >= settings.NEWSLETTER_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED if failed else Delivery.Status.QUEUED,
        claim=None,
        error=str(error)[:500],
    )


def expire_stale_deliveries(send: NewsletterSend) -> int:
    """Rows left in ``sending`` by a worker that died: mark them unknown (never resent)."""
    return Delivery.objects.filter(
        send=send, status=Delivery.Status.SENDING, claimed_at__lt=_claim_timeout()
    ).update(status=Delivery.Status.UNKNOWN, error=UNKNOWN_AFTER_CRASH)


def finish_if_done(send: NewsletterSend) -> None:
    """Expire rows of crashed workers; mark the send done when nothing is queued or in flight."""
    expire_stale_deliveries(send)
    in_progress = send.deliveries.filter(
        status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    if not in_progress.exists():
        NewsletterSend.objects.filter(pk=send.pk, status=NewsletterSend.Status.SENDING).update(
            status=NewsletterSend.Status.DONE, finished_at=timezone.now()
        )


def due_sends():
    return NewsletterSend.objects.filter(
        status__in=[NewsletterSend.Status.SCHEDULED, NewsletterSend.Status.SENDING],
        scheduled_at__lte=timezone.now(),
    )


# --- Personal data ------------------------------------------------------------------------------


def export_personal_data(user) -> list[dict]:
    return [
        {
            "email": s.email,
            "status": s.status,
            "lists": [str(lst) for lst in s.lists.all()],
            "consents": [
                {
                    "action": c.action,
                    "at": c.created_at.isoformat(),
                    "source": c.source,
                    "text_version": c.consent_text_version,
                }
                for c in s.consents.all()
            ],
        }
        for s in Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email or "-"))
    ]


def erase_personal_data(user) -> None:
    Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email or "-")).delete()
