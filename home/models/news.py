from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from comments.models import CommentsMixin
from core.translations import one_per_translation
from members_area.access import visibility_key, visible_pages

from ..blocks import BodyStreamBlock
from .base import BasePage

NEWS_PER_PAGE = 10


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
        from ..feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("feed/atom/", name="feed_atom")
    def feed_atom(self, request):
        from ..feeds import AtomNewsFeed

        return AtomNewsFeed(self)(request)

    @path("kategori/<slug:slug>/feed/rss/", name="category_feed_rss")
    def category_feed_rss(self, request, slug):
        from ..feeds import NewsFeed

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
        context["archive_url"] = self.parent_url(request)  # the archive, without a query
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
