"""Newsletters: issues composed in the page tree, subscribers with consent, reliable sends."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from core import outbox
from core.subscriptions.models import ConsentEntry, EmailSubscription
from core.translations import one_per_translation
from home.models import BasePage
from members_area.access import visible_pages

from .blocks import NewsletterStreamBlock
from .panels import ComposerPanel


class NewsletterIndexPage(RoutablePageMixin, BasePage):
    intro = models.TextField(_("indledning"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["newsletters.NewsletterPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("nyhedsbrevsarkiv")

    def issues_for(self, user):
        """Each issue once: in this archive's language where translated, otherwise Danish."""
        issues = visible_pages(NewsletterPage.objects.live(), user)
        return one_per_translation(issues, self.locale_id).order_by("-issue_date")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["issues"] = self.issues_for(request.user)
        return context

    @path("")
    def archive(self, request):
        return self.render(request)

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import NewsletterFeed

        return NewsletterFeed(self)(request)


class NewsletterPage(BasePage):
    issue_date = models.DateField(_("udgivelsesdato"), default=timezone.localdate)
    preheader = models.CharField(
        _("forhåndstekst"),
        max_length=150,
        blank=True,
        help_text=_("Vises i indbakken efter emnelinjen."),
    )
    body = StreamField(NewsletterStreamBlock(), verbose_name=_("indhold"))

    content_panels = Page.content_panels + [
        FieldPanel("issue_date"),
        FieldPanel("preheader"),
        ComposerPanel(),
        FieldPanel("body"),
    ]
    parent_page_types = ["newsletters.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("nyhedsbrev")
        verbose_name_plural = _("nyhedsbreve")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["viewer"] = request.user  # chosen pages are filtered for whoever reads
        return context


class NewsletterList(models.Model):
    name = models.CharField(_("navn"), max_length=100)
    slug = models.SlugField(_("kort navn"), unique=True)
    description = models.CharField(_("beskrivelse"), max_length=300, blank=True)
    is_default = models.BooleanField(_("standardliste"), default=False)

    class Meta:
        verbose_name = _("nyhedsbrevsliste")
        verbose_name_plural = _("nyhedsbrevslister")
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class Subscriber(EmailSubscription):
    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer bekræftelse")
        ACTIVE = "active", _("Aktiv")
        UNSUBSCRIBED = "unsubscribed", _("Afmeldt")
        BOUNCED = "bounced", _("Afvist (bounce)")
        COMPLAINED = "complained", _("Klage (spam)")

    name = models.CharField(_("navn"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    lists = models.ManyToManyField(
        NewsletterList, verbose_name=_("lister"), blank=True, related_name="subscribers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    # When the latest double opt-in e-mail was asked for (it goes through the outbox).
    confirmation_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(EmailSubscription.Meta):
        verbose_name = _("abonnent")
        verbose_name_plural = _("abonnenter")


class ConsentRecord(ConsentEntry):
    """What a subscriber agreed to (or withdrew), when, on which form, with which text."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", _("Tilmelding")
        CONFIRM = "confirm", _("Bekræftelse")
        PREFERENCES = "preferences", _("Ændrede lister")
        UNSUBSCRIBE = "unsubscribe", _("Afmelding")
        SUPPRESS = "suppress", _("Spærret (bounce/klage)")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=12, choices=Action.choices)


class NewsletterSend(models.Model):
    """One sending of one newsletter issue: the e-mail is rendered once, when it is created."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Planlagt")
        SENDING = "sending", _("Sendes")
        DONE = "done", _("Sendt")

    page = models.ForeignKey(
        NewsletterPage, verbose_name=_("nyhedsbrev"), on_delete=models.PROTECT, related_name="sends"
    )
    subject = models.CharField(_("emne"), max_length=200)
    html = models.TextField()
    text = models.TextField()
    lists = models.ManyToManyField(NewsletterList, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    scheduled_at = models.DateTimeField(_("sendes"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udsendelse")
        verbose_name_plural = _("udsendelser")
        ordering = ["-scheduled_at"]
        permissions = [("send_newsletter", _("Kan sende nyhedsbreve til abonnenterne"))]

    def __str__(self) -> str:
        return f"{self.subject} ({self.scheduled_at:%Y-%m-%d %H:%M})"

    def progress(self) -> dict[str, int]:
        """Its messages in the outbox, counted by status."""
        return outbox.progress(f"newsletter:{self.pk}")
