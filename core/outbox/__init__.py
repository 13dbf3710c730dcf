"""One outbox for every e-mail the site sends (see docs/outbox.md).

Senders use :func:`queue_email` (or :func:`queue_many`) inside their transaction and register
a composer for kinds built at send time; :func:`deliver` claims, sends and marks.
"""

from .services import (
    DeliveryReport,
    LostClaim,
    deliver,
    deliver_after_commit,
    deliver_due,
    deliver_group,
    deliver_group_after_commit,
    expire_stale_claims,
    forget_recipient,
    progress,
    progress_of_groups,
    queue_email,
    queue_many,
    register_composer,
    resend,
)

__all__ = [
    "DeliveryReport",
    "LostClaim",
    "deliver",
    "deliver_after_commit",
    "deliver_due",
    "deliver_group",
    "deliver_group_after_commit",
    "expire_stale_claims",
    "forget_recipient",
    "progress",
    "progress_of_groups",
    "queue_email",
    "queue_many",
    "register_composer",
    "resend",
]
