"""Sending post alerts: claim, send, mark, so that nobody gets a post twice.

Each ``AlertDelivery`` moves ``queued`` -> ``sending`` by a conditional UPDATE that commits
before the message goes to the SMTP server, and to ``sent`` once the server accepted it. Only
one worker can win that UPDATE, so no message is handed to SMTP twice. A worker killed between
handing over the message and recording the answer leaves ``sending``; after
``ALERT_CLAIM_TIMEOUT`` seconds ``release_stale_claims`` records it as ``unknown`` and it is
never resent. An error before the server took the message puts the row back in the queue (at
most ``MAX_ATTEMPTS`` times). A daily digest claims all of a subscriber's queued posts in one
UPDATE and sends them as one message.

``deliver`` hands one message to the mail server; it is the one place that changes when the
shared outbox takes over.
"""

from __future__ import annotations

import datetime
import smtplib
import uuid

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from core.site_address import absolute_url, page_url
from members_area.access import can_view_full_content

from .models import AlertDelivery, AlertSubscription
from .services import confirmation_token

MAX_ATTEMPTS = 5
BATCH = 200
# Errors raised before the server accepted the message (nothing arrived): safe to retry.
NOT_DELIVERED = (
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    ConnectionRefusedError,
    TimeoutError,
)


def deliver(*, to: str, subject: str, text: str, headers: dict | None = None) -> None:
    EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}
    ).send()


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[subscription.key]))


def unsubscribe_headers(subscription: AlertSubscription) -> dict:
    """RFC 8058 one-click unsubscribe: mail clients POST ``List-Unsubscribe=One-Click``."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_confirmation(subscription_id: int) -> bool:
    subscription = AlertSubscription.objects.filter(
        pk=subscription_id, status=AlertSubscription.Status.PENDING
    ).first()
    if subscription is None:
        return False
    with translation.override(subscription.language):
        url = absolute_url(reverse("alerts:confirm", args=[confirmation_token(subscription)]))
        deliver(
            to=subscription.email,
            subject=_("Bekræft, at du vil have nyheder på e-mail"),
            text=render_to_string("alerts/email/confirm.txt", {"url": url, "hours": 72}),
        )
    return True


def public_copy(post_key, language: str):
    """The copy of a post to mail: the subscriber's language if it is live and public, else
    any public copy, Danish first. ``None`` if no copy may be read by the public (any more)."""
    copies = Page.objects.live().filter(translation_key=post_key).select_related("locale")
    copies = sorted(
        (page.specific for page in copies),
        key=lambda page: (page.locale.language_code != language, page.locale.language_code != "da"),
    )
    public = AnonymousUser()
    return next((page for page in copies if can_view_full_content(page, public)), None)


def _claim(queryset, limit: int | None = None) -> list[AlertDelivery]:
    """Take queued rows for this worker. The conditional UPDATE lets only one worker win each
    row, however many run at once; the rows won are read back by the claim's id."""
    claim = uuid.uuid4()
    queued = queryset.filter(status=AlertDelivery.Status.QUEUED).order_by("pk")
    ids = list(queued.values_list("pk", flat=True)[:limit])
    AlertDelivery.objects.filter(pk__in=ids, status=AlertDelivery.Status.QUEUED).update(
        status=AlertDelivery.Status.SENDING,
        claim=claim,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return list(
        AlertDelivery.objects.filter(claim=claim, status=AlertDelivery.Status.SENDING)
        .select_related("subscription")
        .order_by("pk")
    )


def _mark(deliveries, status, error="") -> None:
    AlertDelivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=status,
        error=error[:1000],
        sent_at=timezone.now() if status == AlertDelivery.Status.SENT else None,
    )


def _send_claimed(deliveries, subscription, build) -> None:
    """Send one message for ``deliveries`` (all claimed, all for ``subscription``)."""
    if subscription.status != AlertSubscription.Status.ACTIVE:
        _mark(deliveries, AlertDelivery.Status.SKIPPED, "not active when its turn came")
        return
    with translation.override(subscription.language):
        message = build(deliveries, subscription)
        if message is None:  # the post is gone or no longer public
            _mark(deliveries, AlertDelivery.Status.SKIPPED, "post not public any more")
            return
        subject, text = message
        try:
            deliver(
                to=subscription.email,
                subject=subject,
                text=text,
                headers=unsubscribe_headers(subscription),
            )
        except NOT_DELIVERED as error:
            retry = all(d.attempts < MAX_ATTEMPTS for d in deliveries)
            _mark(
                deliveries,
                AlertDelivery.Status.QUEUED if retry else AlertDelivery.Status.FAILED,
                repr(error),
            )
            raise
        except smtplib.SMTPRecipientsRefused as error:
            _mark(deliveries, AlertDelivery.Status.FAILED, repr(error))
            return
        except (smtplib.SMTPException, OSError) as error:
            # The server may have taken the message before the connection broke.
            _mark(deliveries, AlertDelivery.Status.UNKNOWN, repr(error))
            return
    _mark(deliveries, AlertDelivery.Status.SENT)


def _build_alert(deliveries, subscription):
    page = public_copy(deliveries[0].post_key, subscription.language)
    if page is None:
        return None
    context = {
        "post": page,
        "url": page_url(page),
        "unsubscribe_url": unsubscribe_url(subscription),
    }
    return page.title, render_to_string("alerts/email/alert.txt", context)


def _build_digest(deliveries, subscription):
    posts = [public_copy(d.post_key, subscription.language) for d in deliveries]
    posts = [post for post in posts if post is not None]
    if not posts:
        return None
    context = {
        "posts": [(post, page_url(post)) for post in posts],
        "unsubscribe_url": unsubscribe_url(subscription),
    }
    subject = _("Nyt fra Netværket for Social Innovation (%(count)d)") % {"count": len(posts)}
    return subject, render_to_string("alerts/email/digest.txt", context)


def _release(deliveries) -> None:
    """Claimed but never attempted (the mail server went away): back to the queue."""
    AlertDelivery.objects.filter(
        pk__in=[d.pk for d in deliveries], status=AlertDelivery.Status.SENDING
    ).update(status=AlertDelivery.Status.QUEUED, claim=None, attempts=F("attempts") - 1)


def send_post_alerts(post_key) -> int:
    """Send the queued immediate alerts of one post; returns how many were claimed.

    Raises the connection error when the mail server cannot be reached (the task retries);
    everything not yet attempted is back in the queue by then.
    """
    claimed = 0
    while batch := _claim(
        AlertDelivery.objects.filter(post_key=post_key, digest=False), limit=BATCH
    ):
        claimed += len(batch)
        for index, delivery in enumerate(batch):
            try:
                _send_claimed([delivery], delivery.subscription, _build_alert)
            except NOT_DELIVERED:
                _release(batch[index + 1 :])
                raise
    return claimed


def send_daily_digests() -> int:
    """One e-mail per digest subscriber with every post queued for them; returns how many."""
    subscriber_ids = (
        AlertDelivery.objects.filter(status=AlertDelivery.Status.QUEUED, digest=True)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    sent = 0
    for subscription_id in list(subscriber_ids):
        batch = _claim(AlertDelivery.objects.filter(subscription_id=subscription_id, digest=True))
        if batch:
            try:
                _send_claimed(batch, batch[0].subscription, _build_digest)
            except NOT_DELIVERED:
                return sent  # the server is down: the rest waits for the next run
            sent += 1
    return sent


def release_stale_claims() -> int:
    """Claims older than ``ALERT_CLAIM_TIMEOUT``: the worker died mid-send. Whether the message
    arrived is unknown, so it is recorded as such and never resent."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.ALERT_CLAIM_TIMEOUT)
    return AlertDelivery.objects.filter(
        status=AlertDelivery.Status.SENDING, claimed_at__lt=cutoff
    ).update(
        status=AlertDelivery.Status.UNKNOWN,
        error="worker stopped while sending; not resent",
    )


def retry_queued(*, older_than_minutes: int = 10) -> int:
    """Immediate alerts still queued after their task gave up (mail server down for long):
    send them now. Returns how many were claimed."""
    cutoff = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    post_keys = (
        AlertDelivery.objects.filter(
            status=AlertDelivery.Status.QUEUED, digest=False, created_at__lt=cutoff
        )
        .values_list("post_key", flat=True)
        .distinct()
    )
    claimed = 0
    for post_key in list(post_keys):
        try:
            claimed += send_post_alerts(post_key)
        except NOT_DELIVERED:
            break
    return claimed
