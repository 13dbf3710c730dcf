"""Subscribers and their consent: double opt-in, members' switch, unsubscribe, suppression.

The public sign-up queues the same background work for every address
(``request_subscription``); the double opt-in e-mail is an outbox message.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.background import enqueue_after_commit
from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url
from core.subscriptions import services as subscriptions
from core.subscriptions.services import SubscriptionError

from ..models import ConsentRecord, NewsletterList, Subscriber
from ..tasks import subscribe_task

CONFIRM_SALT = "newsletters.confirm"
CONFIRMATION_KIND = "newsletters.confirmation"  # outbox kind
PREFERENCES_SALT = "newsletters.preferences"
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXT = gettext_lazy(
    "Ja tak, send mig Netværket for Social Innovations nyhedsbrev. Jeg kan altid afmelde mig "
    "med ét klik nederst i hvert nyhedsbrev."
)


SUPPRESSED = (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)


def default_lists() -> list[NewsletterList]:
    lists = list(NewsletterList.objects.filter(is_default=True))
    if not lists:
        lists = [
            NewsletterList.objects.get_or_create(
                slug="nyhedsbrev", defaults={"name": "Nyhedsbrev", "is_default": True}
            )[0]
        ]
    return lists


CONSENT = {"text_version": CONSENT_TEXT_VERSION, "text": CONSENT_TEXT}


def _record(subscriber, action, source=""):
    subscriptions.record_consent(subscriber, action, source, **CONSENT)


# --- Subscribing ------------------------------------------------------------------------------


def request_subscription(*, email: str, name: str = "", lists=None, source: str = "web") -> None:
    """The public sign-up: validate, then queue the same work for every address.

    Whether the address is new, pending, active or suppressed is decided in the background
    (``subscribe``), so the answer and its timing are the same for all of them.
    """
    email = _valid_email(email)
    enqueue_after_commit(subscribe_task, email, name, [lst.pk for lst in lists or []], source)


def _valid_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise SubscriptionError(_("Skriv en gyldig e-mailadresse.")) from error
    return email


def subscribe(*, email: str, name: str = "", lists=None, source: str = "web") -> None:
    """Start double opt-in. Same outcome for new, known and suppressed addresses (no
    enumeration): only a pending or unsubscribed address gets a confirmation e-mail, which
    goes through the outbox (sent after COMMIT, retried while SMTP is down).
    """
    email = _valid_email(email)
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
        outbox.queue_email(CONFIRMATION_KIND, email, params={"subscriber": subscriber.pk})


@outbox.register_composer(CONFIRMATION_KIND)
def compose_confirmation(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """The double opt-in e-mail, with a link signed at send time; nothing if the subscriber
    is no longer pending (confirmed meanwhile, or unsubscribed)."""
    subscriber = Subscriber.objects.filter(
        pk=row.params["subscriber"], status=Subscriber.Status.PENDING
    ).first()
    if subscriber is None:
        return None
    token = subscriptions.signed_token(subscriber, CONFIRM_SALT)
    context = {
        "url": absolute_url(reverse("newsletters:confirm", args=[token])),
        "hours": confirm_max_age() // 3600,
    }
    return EmailMultiAlternatives(
        _("Bekræft dit abonnement på nyhedsbrevet"),
        render_to_string("newsletters/email/confirm.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
    )


def confirm_max_age() -> int:
    return int(settings.NEWSLETTER_CONFIRM_HOURS) * 3600


def subscriber_for_confirmation(token: str) -> Subscriber:
    return subscriptions.from_token(Subscriber, token, CONFIRM_SALT, confirm_max_age())


def confirm_subscription(token: str) -> Subscriber:
    subscriber = subscriber_for_confirmation(token)
    subscriptions.confirm(subscriber, **CONSENT)
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


def set_member_subscription(user, subscribed: bool) -> bool:
    """The profile's newsletter switch; returns whether the member is subscribed afterwards.

    Raises ``SubscriptionError`` when a suppressed address cannot be subscribed.
    """
    if subscribed:
        subscribe_member(user)
        return True
    subscriber = Subscriber.objects.filter(email=(user.email or "").strip().lower()).first()
    if subscriber is not None:
        unsubscribe(subscriber, "profil")
    return False


def member_is_subscribed(user) -> bool:
    return Subscriber.objects.filter(
        email=(user.email or "").strip().lower(), status=Subscriber.Status.ACTIVE
    ).exists()


def subscriber_for_key(key) -> Subscriber:
    return subscriptions.from_key(Subscriber, key)


def unsubscribe(subscriber: Subscriber, source: str = "link") -> None:
    subscriptions.unsubscribe(subscriber, source)


def preferences_token(subscriber: Subscriber) -> str:
    return subscriptions.signed_token(subscriber, PREFERENCES_SALT)


def subscriber_for_preferences(token: str) -> Subscriber:
    return subscriptions.from_token(Subscriber, token, PREFERENCES_SALT, 60 * 60 * 24 * 365)


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
