"""Business rules of post alerts: subscribing (double opt-in, consent), and which posts alert whom.

A post alerts its subscribers once in its life: the first time any copy of it is published.
``PublishedPost`` holds one row per post (``translation_key``), created in the same transaction
as that first publish, together with the post's alerts in the outbox (one per subscriber, with
a dedupe key per post and subscriber); a re-publish, an edit, an unpublish-and-publish or a
translation finds the row and does nothing. Posts that only members may read when first
published alert nobody. Daily-digest readers get every alerted post once, in the next digest.

Every answer to a stranger is the same for a new, pending, active or unsubscribed address;
confirmation e-mails are limited per address and per IP by the view (policy ``post_alerts``).
Unconfirmed sign-ups are deleted once their link has expired (``delete_unconfirmed``).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import outbox
from core.outbox.models import OutboundEmail
from core.subscriptions import services as subscriptions
from core.subscriptions.services import SubscriptionError
from members_area.access import can_view_full_content

from .emails import ALERT_KIND, CONFIRM_MAX_AGE, CONFIRM_SALT, CONFIRMATION_KIND, DIGEST_KIND
from .models import AlertConsent, AlertSubscription, PublishedPost

CONSENT_TEXT_VERSION = "2026-12"
CONSENT_TEXT = gettext_lazy(
    "Ja tak, send mig en e-mail, når Netværket for Social Innovation udgiver nyheder. Jeg kan "
    "altid afmelde mig med ét klik i hver e-mail."
)
CONSENT = {"text_version": CONSENT_TEXT_VERSION, "text": CONSENT_TEXT}

__all__ = ["SubscriptionError"]  # the error views catch


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
    a pending or unsubscribed one takes the new choices and gets a confirmation e-mail, queued
    in the outbox in the same transaction.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise SubscriptionError(_("Skriv en gyldig e-mailadresse.")) from error
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
        subscriptions.record_consent(subscription, AlertConsent.Action.SUBSCRIBE, source, **CONSENT)
        outbox.queue_email(CONFIRMATION_KIND, email, params={"subscription": subscription.pk})


def subscription_for_confirmation(token: str) -> AlertSubscription:
    return subscriptions.from_token(AlertSubscription, token, CONFIRM_SALT, CONFIRM_MAX_AGE)


def confirm(token: str) -> AlertSubscription:
    subscription = subscription_for_confirmation(token)
    subscriptions.confirm(subscription, **CONSENT)
    return subscription


def subscription_for_key(key) -> AlertSubscription:
    return subscriptions.from_key(AlertSubscription, key)


def unsubscribe(subscription: AlertSubscription, source: str = "link") -> None:
    """Stop every alert at once, also those already queued (skipped when their turn comes)."""
    subscriptions.unsubscribe(subscription, source)


def delete_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Sign-ups never confirmed within the link's lifetime: nothing left to keep (beat, daily)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=CONFIRM_MAX_AGE)
    return (
        AlertSubscription.objects.filter(
            status=AlertSubscription.Status.PENDING,
            confirmed_at__isnull=True,
            created_at__lt=cutoff,
        )
        .delete()[1]
        .get(AlertSubscription._meta.label, 0)
    )


# --- Publishing -------------------------------------------------------------------------------


def post_group(post_key) -> str:
    """The outbox group of one post's alerts."""
    return f"{ALERT_KIND}:{post_key}"


@transaction.atomic
def post_published(page) -> bool:
    """Called whenever a news post is published; alerts only on the post's first publish.

    Returns whether alerts were queued. The ``PublishedPost`` row is unique per post and
    commits with the alerts, so two publishes racing each other queue them once, and a crash
    before COMMIT leaves neither.
    """
    try:
        with transaction.atomic():
            record, created = PublishedPost.objects.get_or_create(
                post_key=page.translation_key, defaults={"page": page}
            )
    except IntegrityError:  # the other publish won the race
        return False
    if not created or not can_view_full_content(page, AnonymousUser()):
        return False
    PublishedPost.objects.filter(pk=record.pk).update(alerted=True)
    queue_post_alerts(page)
    return True


def _category_keys(page) -> set:
    return set(page.categories.values_list("translation_key", flat=True))


def _wants(subscription: AlertSubscription, category_keys: set) -> bool:
    return subscription.all_news or bool(
        {category.translation_key for category in subscription.categories.all()} & category_keys
    )


def queue_post_alerts(page) -> int:
    """One outbox message per active immediate subscriber the post concerns, delivered after
    COMMIT. Safe to run twice: the dedupe key (post, subscriber) keeps one message each."""
    keys = _category_keys(page)
    group = post_group(page.translation_key)
    readers = (
        AlertSubscription.objects.filter(
            status=AlertSubscription.Status.ACTIVE,
            frequency=AlertSubscription.Frequency.IMMEDIATE,
        )
        .filter(Q(all_news=True) | Q(categories__translation_key__in=keys))
        .values_list("pk", "email")
        .distinct()
    )
    queued = outbox.queue_many(
        ALERT_KIND,
        (
            {
                "recipient": email,
                "dedupe_key": f"{group}:{pk}",
                "params": {"post": str(page.translation_key), "subscription": pk},
            }
            for pk, email in readers
        ),
        group=group,
    )
    outbox.deliver_group_after_commit(group)
    return queued


@transaction.atomic
def queue_daily_digests() -> int:
    """Beat, once a day: one digest per digest reader with every post alerted since the last
    digest that they follow. The posts are marked taken in the same transaction as the
    messages are queued, so a run twice (or after a crash) mails nobody twice."""
    posts = list(
        PublishedPost.objects.select_for_update(of=("self",))
        .filter(alerted=True, digested_at__isnull=True)
        .select_related("page")
        .order_by("first_published_at", "pk")
    )
    if not posts:
        return 0
    PublishedPost.objects.filter(pk__in=[post.pk for post in posts]).update(
        digested_at=timezone.now()
    )
    categories = {
        post.pk: _category_keys(post.page.specific) if post.page else set() for post in posts
    }
    group = f"{DIGEST_KIND}:{posts[-1].pk}"
    rows = []
    readers = AlertSubscription.objects.filter(
        status=AlertSubscription.Status.ACTIVE, frequency=AlertSubscription.Frequency.DAILY
    ).prefetch_related("categories")
    for subscription in readers:
        wanted = [str(p.post_key) for p in posts if _wants(subscription, categories[p.pk])]
        if wanted:
            rows.append(
                {
                    "recipient": subscription.email,
                    "dedupe_key": f"{group}:{subscription.pk}",
                    "params": {"posts": wanted, "subscription": subscription.pk},
                }
            )
    queued = outbox.queue_many(DIGEST_KIND, rows, group=group)
    outbox.deliver_group_after_commit(group)
    return queued


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
            "consents": subscriptions.consent_history(s),
            "alerts_sent": OutboundEmail.objects.filter(
                kind__in=[ALERT_KIND, DIGEST_KIND],
                recipient__iexact=s.email,
                status=OutboundEmail.Status.SENT,
            ).count(),
        }
        for s in AlertSubscription.objects.filter(_owned_by(user)).prefetch_related(
            "categories", "consents"
        )
    ]


def erase_personal_data(user) -> None:
    AlertSubscription.objects.filter(_owned_by(user)).delete()
