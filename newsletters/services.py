"""Business rules of newsletters: consent, double opt-in, rendering and reliable sending.

Every e-mail here goes through the outbox (``core.outbox``, docs/outbox.md): a send queues one
message per active subscriber of its lists when it starts (deduplicated per send and
subscriber), and the outbox claims, sends and marks them. At send time the subscriber must
still be active: whoever unsubscribed, bounced or complained meanwhile is ``skipped``. A
message that provably never reached the SMTP server (failure before the end of DATA, or a
worker killed before it) is sent again; only one lost between the end of DATA and the
server's reply is ``unknown``, never resent automatically (``resend_unknown`` after checking).

Public sign-ups queue the same background work for every address (``request_subscription``);
the double opt-in e-mail is an outbox message too.
"""

from __future__ import annotations

import functools
import logging

import css_inline
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.background import enqueue_after_commit
from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url, page_url

from .models import ConsentRecord, NewsletterList, NewsletterSend, Subscriber
from .tasks import send_newsletter, subscribe_task

logger = logging.getLogger(__name__)

CONFIRM_SALT = "newsletters.confirm"
ISSUE_KIND = "newsletters.issue"  # outbox kinds
CONFIRMATION_KIND = "newsletters.confirmation"
PREFERENCES_SALT = "newsletters.preferences"
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXT = gettext_lazy(
    "Ja tak, send mig Netværket for Social Innovations nyhedsbrev. Jeg kan altid afmelde mig "
    "med ét klik nederst i hvert nyhedsbrev."
)


SUPPRESSED = (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)


class SubscriptionError(Exception):
    """The link or input cannot be used; ``str(error)`` is a message for the visitor."""


class SendError(Exception):
    """A send cannot start; ``str(error)`` is a message for the editor."""


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
    token = signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(subscriber.key))
    context = {
        "url": _absolute(reverse("newsletters:confirm", args=[token])),
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
    unsubscribe_url = _absolute(reverse("newsletters:unsubscribe", args=[subscriber.key]))
    links = {
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": _absolute(
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
