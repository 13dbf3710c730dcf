from __future__ import annotations

from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core import site_state
from core.translations import one_per_translation
from members_area.access import visibility_key, visible_pages

from ..blocks import BodyStreamBlock
from .base import BasePage
from .news import NEWS_CARD_FIELDS, NewsPage


class HomePage(BasePage):
    hero_title = models.CharField(_("overskrift"), max_length=200)
    hero_text = models.TextField(_("indledning"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("topbillede"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("knap til side"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_link_label = models.CharField(_("knaptekst"), max_length=60, blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("indhold"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_title"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_link"),
                FieldPanel("hero_link_label"),
            ],
            heading=_("Topsektion"),
        ),
        InlinePanel("featured_items", label=_("Udvalgte sider (fx cases)"), max_num=6),
        FieldPanel("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("forside")

    def route(self, request, path_components):
        """Find a descendant by its URL path in one query instead of one query per level.

        Falls back to Wagtail's level-by-level routing for anything that is not a page's own
        URL (routable sub-pages such as news categories, drafts, unknown paths).
        """
        if path_components:
            url_path = self.url_path + "/".join(path_components) + "/"
            page = site_state.live_page_at(request, url_path)
            if page is not None:
                return page.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = visible_pages(NewsPage.objects.live(), request.user)
        context["latest_news"] = (
            one_per_translation(news, self.locale_id)
            .select_related("listing_image")
            .only(*NEWS_CARD_FIELDS)
            .order_by("-date", "-pk")[:3]
        )
        # Upcoming events come from events' own template tag ({% upcoming_events %}).
        hidden = visibility_key(request.user)
        # Featured pages change only when this page is published (which purges the cache).
        context["featured_items"] = self.remember_live(
            request,
            f"home-featured:{self.pk}:{hidden}",
            lambda: self.featured_pages_for(request.user),
        )
        return context

    def featured_pages_for(self, user) -> list[Page]:
        """The editor's featured pages that ``user`` may open, live ones only, in order.

        Through the access helper like every listing: a members-only page's title and summary
        must not appear on the public home page.
        """
        order = list(self.featured_items.order_by("sort_order").values_list("page_id", flat=True))
        pages = visible_pages(Page.objects.live().filter(pk__in=order), user).specific()
        by_id = {page.pk: page for page in pages}
        featured = [by_id[pk] for pk in order if pk in by_id]
        # Their card images in one query, kept with the cached list (not one query per card).
        with_image = [page for page in featured if hasattr(page, "listing_image_id")]
        prefetch_related_objects(with_image, "listing_image")
        return featured


class HomePageFeaturedItem(Orderable):
    home_page = ParentalKey(HomePage, related_name="featured_items", on_delete=models.CASCADE)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("side"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("page")]


class StandardPage(BasePage):
    intro = models.TextField(_("indledning"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("indhold"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    # Content pages (about, contact, ...) under the home page, and sub-pages of those.
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage", "members_area.MemberDirectoryPage"]

    class Meta:
        verbose_name = _("standardside")
