"""What post alerts say: the double opt-in e-mail, one post's alert and the daily digest.

All three are outbox messages (``core.outbox``) built at send time by the composers here, so
the outbox's one claim → send → mark applies: a message that never reached the mail server is
sent again, one lost after the end of DATA is ``unknown`` and never resent, so a worker killed
mid-send mails nobody twice. A composer sends nothing (the row is ``skipped``) when the
subscription is no longer active or no copy of the post may be read by the public any more.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Page

from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url
from core.subscriptions.services import signed_token
from members_area.access import can_view_full_content

from .models import AlertSubscription

CONFIRMATION_KIND = "alerts.confirmation"  # outbox kinds
ALERT_KIND = "alerts.post"
DIGEST_KIND = "alerts.digest"
CONFIRM_SALT = "alerts.confirm"
CONFIRM_MAX_AGE = 72 * 3600


def confirmation_token(subscription: AlertSubscription) -> str:
    return signed_token(subscription, CONFIRM_SALT)


def unsubscribe_url(subscription: AlertSubscription) -> str:
    return absolute_url(reverse("alerts:unsubscribe", args=[subscription.key]))


def _message(subscription, subject: str, text: str, *, one_click: bool = True):
    headers = {}
    if one_click:  # RFC 8058: mail clients POST ``List-Unsubscribe=One-Click`` to the link
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return EmailMultiAlternatives(subject, text, to=[subscription.email], headers=headers)


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


def _subscription(row: OutboundEmail, status=AlertSubscription.Status.ACTIVE):
    return AlertSubscription.objects.filter(pk=row.params["subscription"], status=status).first()


@outbox.register_composer(CONFIRMATION_KIND)
def compose_confirmation(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """The double opt-in link, made at send time; nothing once the subscription moved on."""
    subscription = _subscription(row, AlertSubscription.Status.PENDING)
    if subscription is None:
        return None
    with translation.override(subscription.language):
        url = absolute_url(reverse("alerts:confirm", args=[confirmation_token(subscription)]))
        context = {"url": url, "hours": CONFIRM_MAX_AGE // 3600}
        return _message(
            subscription,
            _("Bekræft, at du vil have nyheder på e-mail"),
            render_to_string("alerts/email/confirm.txt", context),
            one_click=False,
        )


@outbox.register_composer(ALERT_KIND)
def compose_alert(row: OutboundEmail) -> EmailMultiAlternatives | None:
    subscription = _subscription(row)
    if subscription is None:
        return None
    with translation.override(subscription.language):
        page = public_copy(row.params["post"], subscription.language)
        if page is None:
            return None
        context = {
            "post": page,
            "url": page_url(page),
            "unsubscribe_url": unsubscribe_url(subscription),
        }
        return _message(
            subscription, page.title, render_to_string("alerts/email/alert.txt", context)
        )


@outbox.register_composer(DIGEST_KIND)
def compose_digest(row: OutboundEmail) -> EmailMultiAlternatives | None:
    subscription = _subscription(row)
    if subscription is None:
        return None
    with translation.override(subscription.language):
        posts = [public_copy(key, subscription.language) for key in row.params["posts"]]
        posts = [post for post in posts if post is not None]
        if not posts:
            return None
        context = {
            "posts": [(post, page_url(post)) for post in posts],
            "unsubscribe_url": unsubscribe_url(subscription),
        }
        subject = _("Nyt fra Netværket for Social Innovation (%(count)d)") % {"count": len(posts)}
        return _message(subscription, subject, render_to_string("alerts/email/digest.txt", context))
