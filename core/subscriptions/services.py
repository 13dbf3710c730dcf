"""Double opt-in and one-click unsubscribe, the same for every list (newsletters, post alerts).

A subscription's links carry its secret ``key``: the confirmation link signed with a time
stamp (valid for the list's confirmation window), the unsubscribe link the bare key (valid as
long as the subscription exists: RFC 8058 needs a link that keeps working). Every change of
consent is recorded with the text the person saw.
"""

from __future__ import annotations

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import signed_links

PENDING, ACTIVE, UNSUBSCRIBED = "pending", "active", "unsubscribed"
SUBSCRIBE, CONFIRM, UNSUBSCRIBE = "subscribe", "confirm", "unsubscribe"
LINK_EXPIRED = gettext_lazy("Linket er udløbet. Tilmeld dig igen.")


class SubscriptionError(Exception):
    """The link or input cannot be used; ``str(error)`` is a message for the visitor."""


def record_consent(subscription, action: str, source: str = "", *, text_version="", text=""):
    """Record a change of consent; the consent text goes with subscribing and confirming."""
    with_text = action in (SUBSCRIBE, CONFIRM)
    subscription.consents.create(
        action=action,
        source=source,
        consent_text_version=text_version if with_text else "",
        consent_text=str(text) if with_text else "",
    )


def consent_history(subscription) -> list[dict]:
    """The consent records of a subscription, for the personal-data export."""
    return [
        {
            "action": c.action,
            "at": c.created_at.isoformat(),
            "source": c.source,
            "text_version": c.consent_text_version,
        }
        for c in subscription.consents.all()
    ]


def signed_token(subscription, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(str(subscription.key))


def from_token(model, token: str, salt: str, max_age: int | None):
    """The subscription a signed link names; ``SubscriptionError`` when it cannot be used."""
    key = signed_links.read(
        token, salt=salt, max_age=max_age, error=SubscriptionError, expired=LINK_EXPIRED
    )
    subscription = model.objects.filter(key=key).first()
    if subscription is None:
        raise SubscriptionError(_("Abonnementet findes ikke længere."))
    return subscription


def from_key(model, key):
    """The subscription an unsubscribe link names."""
    subscription = model.objects.filter(key=key).first()
    if subscription is None:
        raise SubscriptionError(_("Linket er ugyldigt."))
    return subscription


def confirm(subscription, **consent) -> None:
    """The person clicked the e-mailed link: a pending subscription becomes active (again a
    click changes nothing); one that ended cannot be revived by an old link."""
    if subscription.status == PENDING:
        subscription.status = ACTIVE
        subscription.confirmed_at = timezone.now()
        subscription.save()
        record_consent(subscription, CONFIRM, "e-mail", **consent)
    elif subscription.status != ACTIVE:
        raise SubscriptionError(
            _("Abonnementet kan ikke genoptages via dette link. Tilmeld dig igen.")
        )


def unsubscribe(subscription, source: str = "link") -> bool:
    """Stop the subscription at once (queued e-mails are skipped when their turn comes).
    Returns whether anything changed."""
    if subscription.status not in (ACTIVE, PENDING):
        return False
    subscription.status = UNSUBSCRIBED
    subscription.unsubscribed_at = timezone.now()
    subscription.save()
    record_consent(subscription, UNSUBSCRIBE, source)
    return True
