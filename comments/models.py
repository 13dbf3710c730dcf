"""Comments on pages (news posts, and events or cases where editors switch them on).

A comment belongs to the *thing* a page is about, not to one locale's copy: it is keyed on the
page's ``translation_key`` (``page_key``), so a post's comments show on its Danish and English
pages alike. ``page`` remembers the copy it was written on (for the moderator's link).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page


@register_setting(icon="comment")
class CommentSettings(BaseSiteSetting):
    """Which page types may take comments at all. Each page then has its own switch
    (``allow_comments``), on by default for news and off for events and cases."""

    on_news = models.BooleanField(_("kommentarer på nyheder"), default=True)
    on_events = models.BooleanField(
        _("kommentarer på arrangementer"),
        default=True,
        help_text=_("Slås til på det enkelte arrangement (fra som standard)."),
    )
    on_cases = models.BooleanField(
        _("kommentarer på cases"),
        default=True,
        help_text=_("Slås til på den enkelte case (fra som standard)."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("on_news"), FieldPanel("on_events"), FieldPanel("on_cases")],
            heading=_("Sidetyper med kommentarer"),
        )
    ]

    class Meta:
        verbose_name = _("kommentarer")


def allow_comments_field(default: bool) -> models.BooleanField:
    """The per-page switch; each page type chooses its default (news on, events and cases
    off) by redeclaring the field with ``allow_comments_field(default=...)``."""
    return models.BooleanField(
        _("tillad kommentarer"),
        default=default,
        help_text=_(
            "Læsere kan skrive kommentarer, når sidetypen har kommentarer slået til under "
            "Indstillinger → Kommentarer. Alle kommentarer godkendes af en redaktør."
        ),
    )


class CommentsMixin(models.Model):
    """Mixed into a page type that can take comments.

    ``comments_setting`` names the ``CommentSettings`` field that switches the page type on;
    ``allow_comments`` switches one page on or off (when switched off, existing comments stay
    visible, closed for new ones).
    """

    allow_comments = allow_comments_field(default=True)
    comments_setting = "on_news"

    comment_panels = [FieldPanel("allow_comments")]
    settings_panels = Page.settings_panels + comment_panels

    class Meta:
        abstract = True


class CommentsOffByDefaultMixin(CommentsMixin):
    """For page types whose pages take comments only when their editor switches them on
    (events, cases); ``comments_setting`` still names the page type's switch."""

    allow_comments = allow_comments_field(default=False)

    class Meta:
        abstract = True


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def for_page(self, page):
        return self.filter(page_key=page.translation_key)


class Comment(models.Model):
    class Status(models.TextChoices):
        # Written by someone without an account who has not yet clicked the e-mailed link.
        UNCONFIRMED = "unconfirmed", _("Afventer e-mailbekræftelse")
        PENDING = "pending", _("Afventer godkendelse")
        APPROVED = "approved", _("Godkendt")
        REJECTED = "rejected", _("Afvist")
        SPAM = "spam", _("Spam")

    page_key = models.UUIDField(_("side (på alle sprog)"), db_index=True)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("side"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("svar på"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="page_comments",
    )
    name = models.CharField(_("navn"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    body = models.TextField(_("kommentar"))
    body_html = models.TextField(editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    notify_replies = models.BooleanField(_("e-mail ved svar"), default=False)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # sha256 of the normalised text: finds the same text posted again (duplicate detection).
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    created_at = models.DateTimeField(_("skrevet"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("bekræftet"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page_key", "status"])]
        permissions = [("moderate_comment", _("Kan godkende og afvise kommentarer"))]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"
