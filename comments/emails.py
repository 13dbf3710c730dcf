"""The e-mails comments send: the writer's confirmation link and reply notifications.

Rendered in the language of the page the comment was written on. ``deliver`` hands a message
to the mail server; it is the one place that changes when the shared outbox takes over.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.site_address import absolute_url, page_url

from .markup import plain_text
from .models import Comment
from .services import confirm_max_age, confirmation_token, reply_recipient, stop_replies_token


def _language(comment: Comment) -> str:
    if comment.page is not None:
        return comment.page.locale.language_code
    return settings.LANGUAGE_CODE


def _page_url(comment: Comment) -> str:
    return page_url(comment.page.specific) if comment.page else absolute_url("/")


def deliver(*, to: str, subject: str, text: str, headers: dict | None = None) -> None:
    EmailMultiAlternatives(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {}
    ).send()


def send_confirmation(comment_id: int) -> bool:
    """The double opt-in link to a writer without an account; only while unconfirmed."""
    comment = (
        Comment.objects.filter(pk=comment_id, status=Comment.Status.UNCONFIRMED)
        .select_related("page")
        .first()
    )
    if comment is None or not comment.email:
        return False
    with translation.override(_language(comment)):
        url = absolute_url(reverse("comments:confirm", args=[confirmation_token(comment)]))
        context = {
            "comment": comment,
            "page_title": comment.page.title if comment.page else "",
            "url": url,
            "hours": confirm_max_age() // 3600,
        }
        deliver(
            to=comment.email,
            subject=_("Bekræft din kommentar"),
            text=render_to_string("comments/email/confirm.txt", context),
        )
    return True


def send_reply_notification(reply_id: int) -> bool:
    """Tell the parent's author about an approved reply, once."""
    with transaction.atomic():
        reply = (
            Comment.objects.select_for_update(of=("self",))
            .filter(pk=reply_id, status=Comment.Status.APPROVED, reply_notified_at__isnull=True)
            .select_related("page", "parent", "parent__user")
            .first()
        )
        if reply is None:
            return False
        Comment.objects.filter(pk=reply.pk).update(reply_notified_at=timezone.now())
    recipient = reply_recipient(reply)
    if recipient is None:
        return False
    address, parent = recipient
    stop_url = absolute_url(reverse("comments:stop_replies", args=[stop_replies_token(parent)]))
    with translation.override(_language(reply)):
        context = {
            "reply": reply,
            "reply_text": plain_text(reply.body),
            "page_title": reply.page.title,
            "page_url": _page_url(reply),
            "stop_url": stop_url,
        }
        deliver(
            to=address,
            subject=_("Nyt svar på din kommentar"),
            text=render_to_string("comments/email/reply.txt", context),
            headers={"List-Unsubscribe": f"<{stop_url}>"},
        )
    return True
