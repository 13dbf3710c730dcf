"""The e-mails comments send: the writer's confirmation link and reply notifications.

Both are outbox messages (``core.outbox``), queued by ``services`` in the transaction that
decides to send and built here at send time, in the language of the page the comment was
written on. A composer sends nothing (the row is ``skipped``) when the reason to send has gone:
the comment was confirmed or deleted, the reply withdrawn, the author stopped reply e-mails or
may no longer read the page.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url

from .markup import plain_text
from .models import Comment
from .services import (
    CONFIRMATION_KIND,
    REPLY_KIND,
    confirm_max_age,
    confirmation_token,
    reply_recipient,
    stop_replies_token,
)


def _language(comment: Comment) -> str:
    if comment.page is not None:
        return comment.page.locale.language_code
    return settings.LANGUAGE_CODE


def _page_url(comment: Comment) -> str:
    return page_url(comment.page.specific) if comment.page else absolute_url("/")


@outbox.register_composer(CONFIRMATION_KIND)
def compose_confirmation(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """The double opt-in link to a writer without an account; only while unconfirmed."""
    comment = (
        Comment.objects.filter(pk=row.params["comment"], status=Comment.Status.UNCONFIRMED)
        .select_related("page")
        .first()
    )
    if comment is None or not comment.email:
        return None
    with translation.override(_language(comment)):
        url = absolute_url(reverse("comments:confirm", args=[confirmation_token(comment)]))
        context = {
            "comment": comment,
            "page_title": comment.page.title if comment.page else "",
            "url": url,
            "hours": confirm_max_age() // 3600,
        }
        return EmailMultiAlternatives(
            _("Bekræft din kommentar"),
            render_to_string("comments/email/confirm.txt", context),
            to=[comment.email],
        )


@outbox.register_composer(REPLY_KIND)
def compose_reply_notification(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """Tell the parent's author about an approved reply (queued once per reply)."""
    reply = (
        Comment.objects.filter(pk=row.params["reply"], status=Comment.Status.APPROVED)
        .select_related("page", "parent", "parent__user")
        .first()
    )
    recipient = reply_recipient(reply) if reply is not None else None
    if recipient is None:
        return None
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
        return EmailMultiAlternatives(
            _("Nyt svar på din kommentar"),
            render_to_string("comments/email/reply.txt", context),
            to=[address],
            headers={"List-Unsubscribe": f"<{stop_url}>"},
        )
