"""Rendering an issue and sending it through the outbox, at most once per subscriber.

A send queues one message per active subscriber of its lists when it starts (deduplicated
per send and subscriber), and the outbox claims, sends and marks them. At send time the
subscriber must still be active: whoever unsubscribed, bounced or complained meanwhile is
``skipped``. A message that provably never reached the SMTP server is sent again; only one
lost between the end of DATA and the server's reply is ``unknown``, never resent
automatically (``resend_unknown`` after checking).
"""

from __future__ import annotations

import functools

import css_inline
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.background import enqueue_after_commit
from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url

from ..models import NewsletterSend, Subscriber
from ..tasks import send_newsletter
from .subscribing import default_lists, preferences_token

ISSUE_KIND = "newsletters.issue"  # outbox kind


class SendError(Exception):
    """A send cannot start; ``str(error)`` is a message for the editor."""


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


def send_group(send: NewsletterSend | int) -> str:
    """The outbox group of a send's messages (one per subscriber)."""
    return f"newsletter:{getattr(send, 'pk', send)}"


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
    outbox.queue_email(
        "newsletters.test", email, subject=f"[TEST] {page.title}", text=text, html=html
    )


def queue_deliveries(send: NewsletterSend) -> int:
    """Put one outbox message per recipient when the send starts (once); later runs resume.

    Recipients are the active subscribers of the send's lists at that moment; the outbox's
    dedupe key (send, subscriber) makes a second run add nobody twice.
    """
    with transaction.atomic():
        locked = NewsletterSend.objects.select_for_update().get(pk=send.pk)
        if locked.status == NewsletterSend.Status.SCHEDULED:
            recipients = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
            lists = list(locked.lists.all())
            if lists:
                recipients = recipients.filter(lists__in=lists).distinct()
            outbox.queue_many(
                ISSUE_KIND,
                (
                    {
                        "recipient": email,
                        "dedupe_key": f"{send_group(locked)}:{pk}",
                        "params": {"send": locked.pk, "subscriber": pk},
                    }
                    for pk, email in recipients.values_list("pk", "email")
                ),
                group=send_group(locked),
            )
            locked.status = NewsletterSend.Status.SENDING
            locked.started_at = timezone.now()
            locked.save(update_fields=["status", "started_at"])
    return OutboundEmail.objects.filter(group=send_group(send)).count()


@functools.lru_cache(maxsize=4)
def _send_content(send_id: int) -> tuple[str, str, str]:
    """Subject, HTML and text of a send: rendered once when it was created, never changed."""
    send = NewsletterSend.objects.get(pk=send_id)
    return send.subject, send.html, send.text


@outbox.register_composer(ISSUE_KIND)
def compose_issue(row: OutboundEmail) -> EmailMultiAlternatives | None:
    """The issue for one subscriber, or nothing if they left (unsubscribed, bounced) after
    the send was queued."""
    subscriber = Subscriber.objects.filter(
        pk=row.params["subscriber"], status=Subscriber.Status.ACTIVE
    ).first()
    if subscriber is None:
        return None
    subject, html, text = _send_content(row.params["send"])
    unsubscribe_url = absolute_url(reverse("newsletters:unsubscribe", args=[subscriber.key]))
    links = {
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": absolute_url(
            reverse("newsletters:preferences", args=[preferences_token(subscriber)])
        ),
    }
    message = EmailMultiAlternatives(
        subject,
        text + render_to_string("newsletters/email/footer.txt", links),
        settings.DEFAULT_FROM_EMAIL,
        [subscriber.email],
        headers={
            # RFC 8058 one-click unsubscribe (and RFC 2369).
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": "Netvaerket for Social Innovation <nyhedsbrev.socialinnovation.dk>",
            "X-Newsletter-Send": str(row.params["send"]),
        },
    )
    footer_html = render_to_string("newsletters/email/footer.html", links)
    message.attach_alternative(html.replace("</body>", footer_html + "</body>"), "text/html")
    return message


def send_batch(send_id: int, batch_size: int | None = None) -> outbox.DeliveryReport:
    """Claim and send one batch of the send's messages through the outbox; when none is
    left to claim, mark the send done if nothing is pending or in flight."""
    report = outbox.deliver(
        group=send_group(send_id), limit=batch_size or settings.NEWSLETTER_BATCH_SIZE
    )
    if not report.claimed:
        finish_if_done(NewsletterSend.objects.get(pk=send_id))
    return report


def send_all(send_id: int) -> int:
    """Queue a send's messages and work through them; stops early when SMTP is down (the
    beat resumes). Safe to run twice at once or again after a crash."""
    queue_deliveries(NewsletterSend.objects.get(pk=send_id))
    sent = 0
    while True:
        report = send_batch(send_id)
        sent += report.sent
        if not report.claimed or report.server_down:
            return sent


def finish_if_done(send: NewsletterSend) -> None:
    """Mark the send done when none of its messages is pending or in flight."""
    outbox.expire_stale_claims()
    in_progress = OutboundEmail.objects.filter(
        group=send_group(send),
        status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING],
    )
    if not in_progress.exists():
        NewsletterSend.objects.filter(pk=send.pk, status=NewsletterSend.Status.SENDING).update(
            status=NewsletterSend.Status.DONE, finished_at=timezone.now()
        )


def start_send(page, *, lists=None, scheduled_at=None, user=None) -> NewsletterSend:
    """Create a send of a published issue and start it now, or at ``scheduled_at``.

    Raises ``SendError`` for an issue that is not published. A send due now starts after
    COMMIT on a worker; with the broker down the beat starts it within a minute.
    """
    if not page.live:
        raise SendError(_("Udgiv nyhedsbrevet, før det sendes."))
    with transaction.atomic():
        send = create_send(page, lists=lists, scheduled_at=scheduled_at, user=user)
        if send.scheduled_at <= timezone.now():
            enqueue_after_commit(send_newsletter, send.pk, inline=False)
    return send


def due_sends():
    return NewsletterSend.objects.filter(
        status__in=[NewsletterSend.Status.SCHEDULED, NewsletterSend.Status.SENDING],
        scheduled_at__lte=timezone.now(),
    )


def resend_unknown(send: NewsletterSend) -> int:
    """Editors, after checking: send the messages whose fate is unknown once more."""
    unknown = OutboundEmail.objects.filter(
        group=send_group(send), status=OutboundEmail.Status.UNKNOWN
    )
    count = outbox.resend(unknown.values_list("pk", flat=True))
    if count:
        NewsletterSend.objects.filter(pk=send.pk).update(
            status=NewsletterSend.Status.SENDING, finished_at=None
        )
    return count


def send_progress(send: NewsletterSend) -> dict:
    """How far a send is, for the progress page and its JSON: the outbox's counts of the
    send's messages, ``queued`` (pending or in flight), ``processed`` (the rest), the total and
    whether the send is done."""
    counts = outbox.progress(send_group(send))
    queued = counts.get("pending", 0) + counts.get("sending", 0)
    return {
        "status": send.status,
        "status_label": str(send.get_status_display()),
        "sent": counts.get("sent", 0),
        "failed": counts.get("failed", 0),
        "unknown": counts.get("unknown", 0),
        "skipped": counts.get("skipped", 0),
        "queued": queued,
        "total": sum(counts.values()),
        "processed": sum(counts.values()) - queued,
        "done": send.status == NewsletterSend.Status.DONE,
    }
