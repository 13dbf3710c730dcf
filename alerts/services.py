"""Business rules of post alerts: subscribing (double opt-in, consent), and which posts alert whom.

A post alerts its subscribers once in its life: the first time any copy of it is published.
``PublishedPost`` holds one row per post (``translation_key``), created in the same transaction
as that first publish; a re-publish, an edit, an unpublish-and-publish or a translation finds
the row and does nothing. Posts that only members may read when first published alert nobody.
Deliveries are unique per (post, subscriber), so queueing twice cannot mail anyone twice
(see ``sending``).

Every answer to a stranger is the same for a new, pending, active or unsubscribed address;
confirmation e-mails are limited per address and per IP by the view (policy ``post_alerts``).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from config.background import enqueue_after_commit
from members_area.access import can_view_full_content

from . import tasks
from .models import AlertConsent, AlertDelivery, AlertSubscription, PublishedPost

CONFIRM_SALT = "alerts.confirm"
CONFIRM_MAX_AGE = 72 * 3600
CONSENT_TEXT_VERSION = "2026-12"
CONSENT_TEXT = gettext_lazy(
    "Ja tak, send mig en e-mail, når Netværket for Social Innovation udgiver nyheder. Jeg kan "
    "altid afmelde mig med ét klik i hver e-mail."
)


class AlertError(Exception):
    """The link or input cannot be used; ``str(error)`` is a message for the visitor."""


def _record(subscription, action, source=""):
    with_text = action in (AlertConsent.Action.SUBSCRIBE, AlertConsent.Action.CONFIRM)
    AlertConsent.objects.create(
        subscription=subscription,
        action=action,
        source=source,
        consent_text_version=CONSENT_TEXT_VERSION if with_text else "",
        consent_text=str(CONSENT_TEXT) if with_text else "",
    )


# --- Subscribing ------------------------------------------------------------------------------


def subscribe(
    *,
    email: str,
    all_news: bool = True,
    categories=(),
    frequency: str = AlertSubscription.Frequency.IMMEDIATE,
    language: str = "da",
    source: str = "web",
    user=None,
) -> None:
    """Start double opt-in; the same outcome whether the address is new or known.

    An active subscription is left as it is (a stranger must not change someone's choices);
    a pending or unsubscribed one takes the new choices and gets a confirmation e-mail.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise AlertError(_("Skriv en gyldig e-mailadresse.")) from error
    try:
        with transaction.atomic():
            subscription, _created = AlertSubscription.objects.get_or_create(email=email)
    except IntegrityError:
        subscription = AlertSubscription.objects.get(email=email)
    if subscription.status == AlertSubscription.Status.ACTIVE:
        return
    with transaction.atomic():
        subscription.status = AlertSubscription.Status.PENDING
        subscription.all_news = bool(all_news or not categories)
        subscription.frequency = frequency
        subscription.language = language
        if user is not None and user.is_authenticated and user.email.lower() == email:
            subscription.user = user
        subscription.save()
        subscription.categories.set([] if subscription.all_news else categories)
        _record(subscription, AlertConsent.Action.SUBSCRIBE, source)
        enqueue_after_commit(tasks.send_alert_confirmation_task, subscription.pk)


def confirmation_token(subscription: AlertSubscription) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscription.key))


def subscription_for_confirmation(token: str) -> AlertSubscription:
    try:
        key = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as error:
        raise AlertError(_("Linket er udløbet. Tilmeld dig igen.")) from error
    except signing.BadSignature as error:
        raise AlertError(_("Linket er ugyldigt. Kopiér hele linket fra e-mailen.")) from error
    subscription = AlertSubscription.objects.filter(key=key).first()
    if subscription is None:
        raise AlertError(_("Abonnementet findes ikke længere."))
    return subscription


def confirm(token: str) -> AlertSubscription:
    subscription = subscription_for_confirmation(token)
    if subscription.status == AlertSubscription.Status.PENDING:
        subscription.status = AlertSubscription.Status.ACTIVE
        subscription.confirmed_at = timezone.now()
        subscription.save()
        _record(subscription, AlertConsent.Action.CONFIRM, "e-mail")
    elif subscription.status != AlertSubscription.Status.ACTIVE:
        raise AlertError(_("Abonnementet kan ikke genoptages via dette link. Tilmeld dig igen."))
    return subscription


def subscription_for_key(key) -> AlertSubscription:
    subscription = AlertSubscription.objects.filter(key=key).first()
    if subscription is None:
        raise AlertError(_("Linket er ugyldigt."))
    return subscription


def unsubscribe(subscription: AlertSubscription, source: str = "link") -> None:
    """Stop every alert at once, also those already queued (they are skipped when their turn
    comes)."""
    if subscription.status != AlertSubscription.Status.UNSUBSCRIBED:
        subscription.status = AlertSubscription.Status.UNSUBSCRIBED
        subscription.unsubscribed_at = timezone.now()
        subscription.save()
        _record(subscription, AlertConsent.Action.UNSUBSCRIBE, source)


# --- Publishing -------------------------------------------------------------------------------


def post_published(page) -> bool:
    """Called whenever a news post is published; alerts only on the post's first publish.

    Returns whether alerts were queued. The ``PublishedPost`` row is unique per post, so two
    publishes racing each other queue the alerts once.
    """
    try:
        with transaction.atomic():
            record, created = PublishedPost.objects.get_or_create(
                post_key=page.translation_key, defaults={"page": page}
            )
    except IntegrityError:  # the other publish won the race
        return False
    if not created:
        return False
    if not can_view_full_content(page, AnonymousUser()):
        return False
    PublishedPost.objects.filter(pk=record.pk).update(alerted=True)
    enqueue_after_commit(tasks.queue_post_alerts_task, str(page.translation_key), page.pk)
    return True


def _category_keys(page) -> set:
    return set(page.categories.values_list("translation_key", flat=True))


def queue_post_alerts(post_key, page_id: int) -> int:
    """Create the deliveries of a post for every active subscriber it concerns (digest readers'
    wait for the daily digest) and send the others. Safe to run twice: the unique (post,
    subscriber) pair keeps one row each."""
    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if page is None:
        return 0
    keys = _category_keys(page)
    subscriptions = AlertSubscription.objects.filter(status=AlertSubscription.Status.ACTIVE).filter(
        Q(all_news=True) | Q(categories__translation_key__in=keys)
    )
    rows = [
        AlertDelivery(
            post_key=post_key,
            page=page,
            subscription_id=subscription_id,
            digest=frequency == AlertSubscription.Frequency.DAILY,
        )
        for subscription_id, frequency in subscriptions.values_list("pk", "frequency").distinct()
    ]
    AlertDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    enqueue_after_commit(tasks.send_post_alerts_task, str(post_key))
    return len(rows)


# --- Personal data ----------------------------------------------------------------------------


def _owned_by(user) -> Q:
    condition = Q(user=user)
    if user.email:
        condition |= Q(email__iexact=user.email)
    return condition


def export_personal_data(user) -> list[dict]:
    return [
        {
            "email": s.email,
            "status": s.status,
            "all_news": s.all_news,
            "categories": [category.name for category in s.categories.all()],
            "frequency": s.frequency,
            "consents": [
                {
                    "action": c.action,
                    "at": c.created_at.isoformat(),
                    "source": c.source,
                    "text_version": c.consent_text_version,
                }
                for c in s.consents.all()
            ],
            "alerts_sent": s.deliveries.filter(status=AlertDelivery.Status.SENT).count(),
        }
        for s in AlertSubscription.objects.filter(_owned_by(user)).prefetch_related(
            "categories", "consents"
        )
    ]


def erase_personal_data(user) -> None:
    AlertSubscription.objects.filter(_owned_by(user)).delete()
