"""Business rules of newsletters: consent, double opt-in, rendering and reliable sending.

Every e-mail here goes through the outbox (``core.outbox``, docs/outbox.md):

- ``subscribing``: sign-up with double opt-in, members' switch, preferences, unsubscribe,
  suppression after bounces and complaints.
- ``composing``: proposals of what was published since the previous issue, written into an
  issue's draft.
- ``sending``: rendering an issue as the public sees it and sending it at most once per
  (send, subscriber).
- ``personal_data``: a subscriber's data for the members' GDPR export and erasure.
"""

from .composing import (
    FIRST_ISSUE_WINDOW,
    SECTIONS,
    Proposals,
    add_to_issue,
    previous_issue,
    proposals_for,
)
from .personal_data import erase_personal_data, export_personal_data
from .sending import (
    ISSUE_KIND,
    SendError,
    compose_issue,
    create_send,
    due_sends,
    finish_if_done,
    queue_deliveries,
    render_newsletter,
    resend_unknown,
    send_all,
    send_batch,
    send_group,
    send_progress,
    send_test,
    start_send,
)
from .subscribing import (
    CONFIRM_SALT,
    CONFIRMATION_KIND,
    CONSENT_TEXT,
    CONSENT_TEXT_VERSION,
    PREFERENCES_SALT,
    SUPPRESSED,
    SubscriptionError,
    compose_confirmation,
    confirm_max_age,
    confirm_subscription,
    default_lists,
    member_is_subscribed,
    preferences_token,
    request_subscription,
    set_member_subscription,
    subscribe,
    subscribe_member,
    subscriber_for_confirmation,
    subscriber_for_key,
    subscriber_for_preferences,
    suppress,
    unsubscribe,
    update_preferences,
)

__all__ = [
    "CONFIRMATION_KIND",
    "CONFIRM_SALT",
    "CONSENT_TEXT",
    "CONSENT_TEXT_VERSION",
    "FIRST_ISSUE_WINDOW",
    "ISSUE_KIND",
    "PREFERENCES_SALT",
    "SECTIONS",
    "SUPPRESSED",
    "Proposals",
    "SendError",
    "SubscriptionError",
    "add_to_issue",
    "compose_confirmation",
    "compose_issue",
    "confirm_max_age",
    "confirm_subscription",
    "create_send",
    "default_lists",
    "due_sends",
    "erase_personal_data",
    "export_personal_data",
    "finish_if_done",
    "member_is_subscribed",
    "preferences_token",
    "previous_issue",
    "proposals_for",
    "queue_deliveries",
    "render_newsletter",
    "request_subscription",
    "resend_unknown",
    "send_all",
    "send_batch",
    "send_group",
    "send_progress",
    "send_test",
    "set_member_subscription",
    "start_send",
    "subscribe",
    "subscribe_member",
    "subscriber_for_confirmation",
    "subscriber_for_key",
    "subscriber_for_preferences",
    "suppress",
    "unsubscribe",
    "update_preferences",
]
