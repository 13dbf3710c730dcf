"""E-mail alerts of new news posts: subscriptions (double opt-in, consent), and the posts
that have alerted (once each). The alerts themselves are outbox messages (``core.outbox``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.subscriptions.models import ConsentEntry, EmailSubscription


class AlertSubscription(EmailSubscription):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Hver nyhed, når den udkommer")
        DAILY = "daily", _("Én samlet e-mail om dagen")

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

    class Meta(EmailSubscription.Meta):
        verbose_name = _("abonnent på nyheder")
        verbose_name_plural = _("abonnenter på nyheder")


class AlertConsent(ConsentEntry):
    """What a subscriber agreed to (or withdrew), when, where, with which text."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", _("Tilmelding")
        CONFIRM = "confirm", _("Bekræftelse")
        UNSUBSCRIBE = "unsubscribe", _("Afmelding")

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="consents"
    )
    action = models.CharField(max_length=12, choices=Action.choices)


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
    # When the daily digest took it (digest readers get each alerted post in one digest).
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udgivet nyhed")
        verbose_name_plural = _("udgivne nyheder")

    def __str__(self) -> str:
        return f"{self.post_key} ({self.first_published_at:%Y-%m-%d})"
