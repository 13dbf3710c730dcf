"""Business rules of newsletters: consent, double opt-in, rendering and reliable sending.

Sending guarantees (see ``send_batch``):
- one ``Delivery`` row per (send, subscriber), unique in the database;
- a worker *claims* a batch of queued rows (``SELECT ... FOR UPDATE SKIP LOCKED`` on
  PostgreSQL), so concurrent workers never take the same row;
- each message is marked ``sending`` just before it goes to the SMTP server and ``sent`` right
  after the server accepted it. A crash between those two steps leaves at most one row per
  worker in ``sending``: it is never resent automatically (at most once, no duplicate mail)
  and is shown in the admin for a human to decide. Rows claimed but not yet attempted return
  to the queue once their claim is older than ``NEWSLETTER_CLAIM_TIMEOUT`` seconds.
"""

from __future__ import annotations

import datetime
import uuid

import css_inline
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ConsentRecord, Delivery, NewsletterList, NewsletterSend, Subscriber

CONFIRM_SALT = "newsletters.confirm"
PREFERENCES_SALT = "newsletters.preferences"
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXT = _(
    "Ja tak, send mig Netværket for Social Innovations nyhedsbrev. Jeg kan altid afmelde mig "
    "med ét klik nederst i hvert nyhedsbrev."
)


class SubscriptionError(Exception):
    """The link or input cannot be used; ``str(error)`` is a message for the visitor."""


def _absolute(path: str) -> str:
    return settings.BASE_URL + path


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
    enumeration): only a pending or unsubscribed address gets a confirmation e-mail."""
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
    if subscriber.status in (
        Subscriber.Status.BOUNCED,
        Subscriber.Status.COMPLAINED,
        Subscriber.Status.ACTIVE,
    ):
        return
    subscriber.status = Subscriber.Status.PENDING
    subscriber.name = name or subscriber.name
    subscriber.save()
    subscriber.lists.set(lists or default_lists())
    _record(subscriber, ConsentRecord.Action.SUBSCRIBE, source)
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.key))
    context = {
        "url": _absolute(reverse("newsletters:confirm", args=[token])),
        "hours": confirm_max_age() // 3600,
    }
    EmailMultiAlternatives(
        _("Bekræft dit abonnement på nyhedsbrevet"),
        render_to_string("newsletters/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    ).send()


def confirm_max_age() -> int:
    return int(getattr(settings, "NEWSLETTER_CONFIRM_HOURS", 72)) * 3600


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
    """A logged-in member subscribes from the profile: the account's address is verified."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=user.email.strip().lower(), defaults={"name": user.get_full_name(), "user": user}
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
        "browser_url": page.get_full_url() or _absolute(page.url or "/"),
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
    """Create the delivery rows (idempotent) and mark the send as sending."""
    recipients = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
    lists = list(send.lists.all())
    if lists:
        recipients = recipients.filter(lists__in=lists).distinct()
    Delivery.objects.bulk_create(
        [Delivery(send=send, subscriber_id=pk) for pk in recipients.values_list("pk", flat=True)],
        ignore_conflicts=True,
        batch_size=1000,
    )
    NewsletterSend.objects.filter(pk=send.pk, status=NewsletterSend.Status.SCHEDULED).update(
        status=NewsletterSend.Status.SENDING, started_at=timezone.now()
    )
    return send.deliveries.count()


def _claim(send_id: int, batch_size: int) -> tuple[uuid.UUID, list[int]]:
    claim = uuid.uuid4()
    timeout = timezone.now() - datetime.timedelta(
        seconds=getattr(settings, "NEWSLETTER_CLAIM_TIMEOUT", 300)
    )
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(send_id=send_id, status=Delivery.Status.QUEUED)
            .filter(Q(claim__isnull=True) | Q(claimed_at__lt=timeout))
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


def send_batch(send_id: int, batch_size: int | None = None) -> int:
    """Claim and send one batch over one SMTP connection; returns messages sent (0 = done)."""
    batch_size = batch_size or getattr(settings, "NEWSLETTER_BATCH_SIZE", 100)
    send = NewsletterSend.objects.get(pk=send_id)
    claim, ids = _claim(send_id, batch_size)
    if not ids:
        _finish_if_done(send)
        return 0
    deliveries = Delivery.objects.filter(pk__in=ids, claim=claim).select_related("subscriber")
    sent = 0
    connection = get_connection()
    try:
        connection.open()
        for delivery in deliveries:
            claimed = Delivery.objects.filter(
                pk=delivery.pk, claim=claim, status=Delivery.Status.QUEUED
            ).update(status=Delivery.Status.SENDING, attempts=delivery.attempts + 1)
            if not claimed:
                continue
            try:
                connection.send_messages([_message(send, delivery.subscriber, connection)])
            except Exception as error:  # noqa: BLE001 - recorded on the row, retried later
                failed = delivery.attempts + 1 >= getattr(settings, "NEWSLETTER_MAX_ATTEMPTS", 3)
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=Delivery.Status.FAILED if failed else Delivery.Status.QUEUED,
                    claim=None,
                    error=str(error)[:500],
                )
                raise
            Delivery.objects.filter(pk=delivery.pk).update(
                status=Delivery.Status.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
    finally:
        connection.close()
        # Whatever this worker claimed but did not attempt goes back to the queue now.
        Delivery.objects.filter(claim=claim, status=Delivery.Status.QUEUED).update(claim=None)
    return sent


def _finish_if_done(send: NewsletterSend) -> None:
    if not send.deliveries.filter(status__in=[Delivery.Status.QUEUED]).exists():
        NewsletterSend.objects.filter(pk=send.pk, finished_at__isnull=True).update(
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
