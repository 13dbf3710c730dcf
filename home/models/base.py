"""``BasePage``: what every public page type shares (teaser fields, restriction check, URLs)."""

from __future__ import annotations

from urllib.parse import quote

from django.db import models
from django.http import HttpRequest
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page, PageViewRestriction

from core import site_state
from members_area.access import may_be_restricted

from ..view_restrictions import restrictions_above

# What Django's ``reverse`` leaves unquoted in a URL path.
_REVERSE_SAFE = RFC3986_SUBDELIMS + "/~:@"


class BasePage(Page):
    """Fields every public page type shares: a teaser image and text for listings and SEO."""

    # View restrictions: the Members group only, never "any logged-in user" or a shared
    # password (members_area/admin_views.py narrows the dialog to that group).
    private_page_options = ["groups"]

    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("billede i oversigter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    listing_summary = models.CharField(
        _("kort resumé"),
        max_length=300,
        blank=True,
        help_text=_("Vises i oversigter og som beskrivelse ved deling."),
    )

    promote_panels = Page.promote_panels + [
        MultiFieldPanel(
            [FieldPanel("listing_image"), FieldPanel("listing_summary")],
            heading=_("Visning i oversigter"),
        )
    ]

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        if not self.path:
            return super().get_view_restrictions()
        if not may_be_restricted(self):  # most pages: no query at all
            return PageViewRestriction.objects.none()
        return restrictions_above(self)  # one query instead of Wagtail's two

    @property
    def meta_description(self) -> str:
        return self.search_description or self.listing_summary

    def get_url_parts(self, request=None):
        """Wagtail's, with the part up to the parent worked out once per request.

        Wagtail reverses its serve view under the page's language for every page URL, and a
        listing asks for one per card. A page's URL is its parent's plus its slug (both
        reversed the same way), so once one child of a parent has been reversed in this
        request, its siblings' URLs are that prefix plus their own slug, quoted as ``reverse``
        quotes. A page type with its own URL scheme, or any answer not of that form, is left
        to Wagtail.
        """
        own_scheme = type(self).get_url_parts is not BasePage.get_url_parts
        url_path = self.__dict__.get("url_path")  # never loads a deferred field
        if own_scheme or not isinstance(request, HttpRequest) or not url_path:
            return super().get_url_parts(request)
        # The last segment of the URL path is the slug (Wagtail builds it that way).
        parent_path, _, slug = url_path.rstrip("/").rpartition("/")
        if not slug or url_path != f"{parent_path}/{slug}/":
            return super().get_url_parts(request)
        prefixes = request.__dict__.setdefault("_page_url_prefixes", {})
        key = (parent_path, get_language())
        own = quote(slug, safe=_REVERSE_SAFE) + "/"
        if key in prefixes:
            site_id, root_url, prefix = prefixes[key]
            return site_id, root_url, prefix + own
        parts = super().get_url_parts(request)
        if parts is not None and parts[2] and parts[2].endswith(own):
            prefixes[key] = (parts[0], parts[1], parts[2][: -len(own)])
        return parts

    # The same URLs as Wagtail's own: code that computes page URLs in bulk from ``url_path``
    # (search hits) may treat this type like a plain Wagtail page.
    get_url_parts.same_urls_as_wagtail = True

    def remember_live(self, request, key: str, compute):
        """``site_state.remember(key, compute)`` while serving the live page. A preview shows
        draft content: it is neither kept for visitors nor served from what was kept."""
        if getattr(request, "is_preview", True):  # Wagtail's serve sets it False
            return compute()
        return site_state.remember(key, compute)

    def parent_url(self, request=None) -> str | None:
        """The parent page's URL without loading the parent (a query on every page view).

        Wagtail makes a page's URL path its parent's plus ``<slug>/`` and reverses both the
        same way, so the parent's URL is this page's URL less its slug.
        """
        url = self.get_url(request)
        if not url:
            return None
        slug = quote(self.slug)  # as ``reverse`` writes it (slugs may be Danish words)
        own = f"{slug}/" if url.endswith("/") else slug
        if not url.endswith(own):  # a page type with its own URL scheme
            return self.get_parent().get_url(request)
        parent = url[: -len(own)]
        return parent if url.endswith("/") or parent == "/" else parent.rstrip("/")
