"""RSS 2.0 and Atom feeds of news, for the whole archive or one category.

Served as routes of the NewsIndexPage, so each locale's archive has its own feed. Feeds are
public documents: they list only what an anonymous visitor may open.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_LENGTH = 20


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, index_page, category=None):
        super().__init__()
        self.index_page = index_page
        self.category = category

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, index_page):
        if self.category:
            return f"{index_page.title}: {self.category.name}"
        return index_page.title

    def link(self, index_page):
        if self.category:
            return index_page.url + index_page.reverse_subpage(
                "category", args=[self.category.slug]
            )
        return index_page.url

    def description(self, index_page):
        return index_page.listing_summary or _("Nyheder fra Netværket for Social Innovation")

    def items(self, index_page):
        posts = index_page.news_for(AnonymousUser())
        if self.category:
            posts = posts.filter(categories__translation_key=self.category.translation_key)
        return posts.prefetch_related("categories")[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.listing_summary or item.intro

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(8, 0)))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [category.name for category in item.categories.all()]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
