from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from comments.models import CommentsMixin
from core import site_state
from core.translations import one_per_translation
from members_area.access import may_be_restricted, visibility_key, visible_pages

from .blocks import BodyStreamBlock
from .site_settings import SiteSettings
from .view_restrictions import restrictions_above

NEWS_PER_PAGE = 10

__all__ = ["SiteSettings"]  # defined in site_settings.py, registered with this app


@register_snippet
class NewsCategory(TranslatableMixin, models.Model):
    name = models.CharField(_("navn"), max_length=100)
    slug = models.SlugField(_("kort navn"), max_length=100)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("nyhedskategori")
        verbose_name_plural = _("nyhedskategorier")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self) -> str:
        return self.name


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


# The fields of a news card (home/includes/news_card.html): title, link, date, image, summary,
# and the translation key its comment count is looked up by.
NEWS_CARD_FIELDS = (
    "title",
    "url_path",
    "path",
    "depth",
    "locale_id",
    "translation_key",
    "content_type_id",
    "live",
    "date",
    "intro",
    "listing_summary",
    "listing_image",
)


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


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The news archive: all posts, or those filed under one category or tag."""

    intro = RichTextField(_("indledning"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("nyhedsoversigt")

    def news_for(self, user):
        """Each post once: in this archive's language where translated, otherwise Danish."""
        news = visible_pages(NewsPage.objects.live(), user)
        return one_per_translation(news, self.locale_id).order_by("-date", "-pk")

    def _listing(self, request, posts, **extra):
        # Only what a card shows (home/includes/news_card.html) and its link needs.
        posts = posts.select_related("listing_image").only(*NEWS_CARD_FIELDS)
        paginator = Paginator(posts, NEWS_PER_PAGE)
        context = {"posts": paginator.get_page(request.GET.get("side")), **extra}
        return self.render(request, context_overrides=context)

    @path("")
    def all_news(self, request):
        return self._listing(request, self.news_for(request.user))

    @path("kategori/<slug:slug>/", name="category")
    def by_category(self, request, slug):
        category = NewsCategory.objects.filter(slug=slug, locale=self.locale).first()
        if category is None:
            raise Http404
        posts = self.news_for(request.user).filter(
            categories__translation_key=category.translation_key
        )
        return self._listing(request, posts, category=category)

    @path("feed/rss/", name="feed_rss")
    def feed_rss(self, request):
        from .feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        from .feeds import AtomNewsFeed

        return AtomNewsFeed(self)(request)

    @path("kategori/<slug:slug>/feed/rss/", name="category_feed_rss")
    def category_feed_rss(self, request, slug):
        from .feeds import NewsFeed

        category = NewsCategory.objects.filter(slug=slug, locale=self.locale).first()
        if category is None:
            raise Http404
        return NewsFeed(self, category)(request)

    @re_path(r"^emne/(?P<tag>[-\w]+)/$", name="tag")
    def by_tag(self, request, tag):
        posts = self.news_for(request.user).filter(tags__slug=tag).distinct()
        tag_object = NewsPage.tags.through.tag_model().objects.filter(slug=tag).first()
        if tag_object is None:
            raise Http404
        return self._listing(request, posts, tag=tag_object)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "home.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsPage(CommentsMixin, BasePage):
    date = models.DateField(_("dato"), default=timezone.localdate)
    author = models.CharField(_("forfatter"), max_length=120, blank=True)
    intro = models.TextField(_("indledning"))
    body = StreamField(BodyStreamBlock(), verbose_name=_("indhold"), blank=True)
    categories = ParentalManyToManyField(
        NewsCategory, verbose_name=_("kategorier"), blank=True, related_name="news_pages"
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("emneord"))

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("date"), FieldPanel("author")], heading=_("Udgivelse")),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("categories", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Arkivering"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.RelatedFields("categories", [index.SearchField("name")]),
    ]

    settings_panels = Page.settings_panels + CommentsMixin.comment_panels
    parent_page_types = ["home.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("nyhed")
        verbose_name_plural = _("nyheder")

    @property
    def meta_description(self) -> str:
        return self.search_description or self.listing_summary or self.intro[:300]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        hidden = visibility_key(request.user)
        context["older_post"], context["newer_post"] = self.remember_live(
            request,
            f"news-neighbours:{self.pk}:{hidden}",
            lambda: self._neighbours(request.user),
        )
        context["categories"], context["tags"] = self.remember_live(
            request,
            f"news-filed:{self.pk}",
            lambda: (list(self.categories.all()), list(self.tags.all())),
        )
        # The archive is the parent page; its URL is ours minus our slug (saves two queries).
        context["archive_url"] = self.get_url(request)[: -len(self.slug) - 1]
        return context

    def _neighbours(self, user):
        siblings = visible_pages(
            NewsPage.objects.live().sibling_of(self, inclusive=False), user
        ).only("title", "url_path", "date", "locale_id", "path", "depth")
        newer = (
            siblings.filter(date__gte=self.date)
            .exclude(date=self.date, pk__lt=self.pk)
            .order_by("date", "pk")
            .first()
        )
        older = (
            siblings.filter(date__lte=self.date)
            .exclude(date=self.date, pk__gt=self.pk)
            .order_by("-date", "-pk")
            .first()
        )
        return older, newer
