"""The abstract subscription and consent record every e-mail list of the site is made of."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailSubscription(models.Model):
    """One address on one kind of list: double opt-in, a secret key for its links.

    Concrete models add their choices (lists, categories) and the ``user`` it belongs to, and
    may override ``status`` with more states (a newsletter's bounces and complaints); the
    three states here keep their values everywhere.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer bekræftelse")
        ACTIVE = "active", _("Aktiv")
        UNSUBSCRIBED = "unsubscribed", _("Afmeldt")

    email = models.EmailField(_("e-mail"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("afmeldt"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class ConsentEntry(models.Model):
    """What a subscriber agreed to (or withdrew), when, where, with which text.

    Concrete models add the foreign key to their subscription (``related_name="consents"``)
    and ``action`` with their choices.
    """

    consent_text_version = models.CharField(max_length=20, blank=True)
    consent_text = models.TextField(blank=True)
    source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"
