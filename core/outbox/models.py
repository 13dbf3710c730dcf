"""One row per e-mail the site sends: the outbox every sender writes to."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One message to one recipient, and where it is on its way.

    ``pending`` → (claimed) ``sending`` → ``sent``; a refusal or a failure before the end of
    DATA puts it back to ``pending`` with a later ``next_attempt_at`` (``failed`` after the last
    attempt). ``data_ended_at`` is committed right before the final ``.`` of DATA goes to the
    SMTP server: a message in ``sending`` without it provably never reached the server and is
    sent again when its claim is stale; one with it that got no reply is ``unknown`` and is
    never resent automatically (an editor may, after checking).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")
        # Nothing to send any more when its turn came (unsubscribed, membership ended, ...).
        SKIPPED = "skipped", _("Sprunget over")
        # The end of DATA went out and no answer came back: it may have arrived.
        UNKNOWN = "unknown", _("Ukendt")

    kind = models.CharField(_("type"), max_length=60, db_index=True)
    recipient = models.CharField(_("modtager"), max_length=254)
    # Unique when set: queueing the same message twice (a retried task, a double click) is a
    # no-op. E.g. "newsletter:12:3456" for issue 12 to subscriber 3456.
    dedupe_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # Messages sent together (one newsletter send) share a group, for progress counts.
    group = models.CharField(_("gruppe"), max_length=100, blank=True, db_index=True)
    # For kinds with a composer (see services.register_composer): what it needs to build the
    # message at send time. Otherwise the message is stored here ready to go.
    params = models.JSONField(default=dict, blank=True)
    subject = models.CharField(_("emne"), max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    data_ended_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(_("sidste fejl"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("udgående e-mail")
        verbose_name_plural = _("udgående e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["group", "status"], name="outbox_group_status"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient}: {self.get_status_display()}"
