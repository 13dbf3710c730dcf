"""E-mail alerts of new news posts: subscriptions (double opt-in, consent), and one delivery
per (post, subscriber) so a post is never mailed to anyone twice."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AlertSubscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer bekræftelse")
        ACTIVE = "active", _("Aktiv")
        UNSUBSCRIBED = "unsubscribed", _("Afmeldt")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Hver nyhed, når den udkommer")
        DAILY = "daily", _("Én samlet e-mail om dagen")

    email = models.EmailField(_("e-mail"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    all_news = models.BooleanField(_("alle nyheder"), default=True)
    categories = models.ManyToManyField(
        "home.NewsCategory", verbose_name=_("kategorier"), blank=True, related_name="+"
    )
    frequency = models.CharField(
        _("hyppighed"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    language = models.CharField(_("sprog"), max_length=8, default="da")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="post_alert_subscriptions",
    )
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("afmeldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("abonnent på nyheder")
        verbose_name_plural = _("abonnenter på nyheder")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class AlertConsent(models.Model):
    """What a subscriber agreed to (or withdrew), when, where, with which text."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", _("Tilmelding")
        CONFIRM = "confirm", _("Bekræftelse")
        UNSUBSCRIBE = "unsubscribe", _("Afmelding")

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="consents"
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    consent_text_version = models.CharField(max_length=20, blank=True)
    consent_text = models.TextField(blank=True)
    source = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class PublishedPost(models.Model):
    """A post (all its translations) the first time it was published: written once, so a
    re-publish, an edit or a translation never alerts anyone again."""

    post_key = models.UUIDField(unique=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField(default=timezone.now)
    # Members-only when first published: never alerted (alerts go to the public).
    alerted = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("udgivet nyhed")
        verbose_name_plural = _("udgivne nyheder")

    def __str__(self) -> str:
        return f"{self.post_key} ({self.first_published_at:%Y-%m-%d})"


class AlertDelivery(models.Model):
    """One post to one subscriber; the unique pair makes sending idempotent."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")
        SKIPPED = "skipped", _("Sprunget over")
        # Stopped between handing the message to SMTP and recording the answer: never resent.
        UNKNOWN = "unknown", _("Ukendt")

    post_key = models.UUIDField(db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    digest = models.BooleanField(default=False)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nyhedsalarm")
        verbose_name_plural = _("nyhedsalarmer")
        constraints = [
            models.UniqueConstraint(
                fields=["post_key", "subscription"], name="alerts_one_alert_per_post_and_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_key} → {self.subscription_id}: {self.get_status_display()}"
