import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.utils import timezone


class NewsletterFeed(Feed):
    """RSS of the public newsletter archive."""

    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.index_page

    def title(self, index_page):
        return index_page.title

    def link(self, index_page):
        return index_page.url

    def description(self, index_page):
        return index_page.intro or index_page.title

    def items(self, index_page):
        return index_page.issues_for(AnonymousUser())[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.preheader or item.listing_summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.issue_date, datetime.time(8, 0)))
