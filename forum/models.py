"""The members' forum: categories, threads, posts, reports, subscriptions, read state."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from .markup import render_markdown


class Category(models.Model):
    name = models.CharField(_("navn"), max_length=120)
    slug = models.SlugField(_("kort navn"), unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("forumkategori")
        verbose_name_plural = _("forumkategorier")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Thread(models.Model):
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="threads"
    )
    title = models.CharField(_("titel"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    last_post_at = models.DateTimeField(_("seneste indlæg"), default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(_("fastgjort"), default=False)
    locked = models.BooleanField(_("låst"), default=False)
    hidden = models.BooleanField(_("skjult"), default=False)

    class Meta:
        verbose_name = _("tråd")
        verbose_name_plural = _("tråde")
        ordering = ["-pinned", "-last_post_at"]
        permissions = [("moderate_thread", _("Kan moderere forummet"))]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_posts",
    )
    body_markdown = models.TextField(_("indlæg"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("redigeret"), null=True, blank=True)
    hidden = models.BooleanField(_("skjult"), default=False)

    class Meta:
        verbose_name = _("indlæg")
        verbose_name_plural = _("indlæg")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread}: {self.body_markdown[:40]}"

    def save(self, *args, **kwargs):
        # Rendered and sanitised on every save, whatever wrote the row: forms, admin, scripts.
        self.body_html = render_markdown(self.body_markdown)
        super().save(*args, **kwargs)

    @property
    def author_shown(self) -> bool:
        """Erased or closed accounts show as "Tidligere medlem", without name or municipality."""
        return self.author is not None and self.author.is_active

    @property
    def author_organisation(self):
        """The author's member organisation (municipality), or None. Free of queries when
        the post was loaded with ``services.with_authors``."""
        if not self.author_shown:
            return None
        profile = getattr(self.author, "member_profile", None)
        return profile.organisation if profile is not None else None


class PostReport(models.Model):
    """One member's report of one post. A member has at most one open report per post (a
    second report updates the reason); moderators see a post's open reports together."""

    class Resolution(models.TextChoices):
        HIDDEN = "hidden", _("Indlægget blev skjult")
        DISMISSED = "dismissed", _("Afvist – indlægget bliver stående")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("begrundelse"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    resolved = models.BooleanField(_("behandlet"), default=False)
    resolved_at = models.DateTimeField(_("behandlet den"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandlet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolution = models.CharField(
        _("afgørelse"), max_length=20, choices=Resolution.choices, blank=True
    )

    class Meta:
        verbose_name = _("anmeldelse")
        verbose_name_plural = _("anmeldelser")
        ordering = ["resolved", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved=False),
                name="forum_one_open_report_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.reason[:40]}"


class Subscription(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "thread"], name="forum_unique_thread_subscription"
            ),
            models.UniqueConstraint(
                fields=["user", "category"], name="forum_unique_category_subscription"
            ),
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False) ^ models.Q(category__isnull=False),
                name="forum_subscription_thread_xor_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.thread or self.category}"


class ReadState(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_unique_read_state")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id} at {self.last_read_at:%Y-%m-%d %H:%M}"
