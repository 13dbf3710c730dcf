"""RSS feeds of approved comments: one per page, one for the whole site.

Feeds are public documents (feed readers have no session), so both are built for an anonymous
visitor whoever asks: comments on members-only pages never appear, not even for members.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Page

from members_area.access import visible_pages

from . import services
from .markup import plain_text
from .models import Comment

FEED_LENGTH = 30


def _public_pages(page_ids) -> dict[int, Page]:
    public = AnonymousUser()
    pages = visible_pages(Page.objects.live().filter(pk__in=set(page_ids)), public).specific()
    return {page.pk: page for page in pages if services.can_read_comments(page, public)}


class SiteCommentsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return _("Kommentarer på Netværket for Social Innovation")

    def link(self):
        return reverse("comments:feed")

    def description(self):
        return _("De nyeste godkendte kommentarer på netværkets sider.")

    def items(self):
        # Read more than we show: some may sit on pages the public cannot open.
        candidates = list(
            Comment.objects.approved()
            .exclude(page=None)
            .select_related("page")
            .order_by("-created_at", "-pk")[: FEED_LENGTH * 5]
        )
        pages = _public_pages(comment.page_id for comment in candidates)
        items = []
        for comment in candidates:
            if comment.page_id in pages:
                comment.public_page = pages[comment.page_id]
                items.append(comment)
        return items[:FEED_LENGTH]

    def item_title(self, comment):
        return _("%(name)s om “%(title)s”") % {
            "name": comment.name,
            "title": comment.public_page.title,
        }

    def item_description(self, comment):
        return plain_text(comment.body)

    def item_link(self, comment):
        url = comment.public_page.get_url(self.request) or "/"
        return f"{url}#kommentar-{comment.pk}"

    def item_guid(self, comment):
        return f"urn:uuid:{comment.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, comment):
        return comment.created_at

    def item_author_name(self, comment):
        return comment.name


class PageCommentsFeed(SiteCommentsFeed):
    def get_object(self, request, page_id):
        page = Page.objects.live().filter(pk=page_id).first()
        page = page.specific if page is not None else None
        if page is None or not _public_pages([page.pk]):
            raise Http404
        return page

    def title(self, page):
        return _("Kommentarer til “%(title)s”") % {"title": page.title}

    def link(self, page):
        return page.get_url(self.request) or "/"

    def description(self, page):
        return self.title(page)

    def items(self, page):
        comments = list(
            Comment.objects.for_page(page).approved().order_by("-created_at", "-pk")[:FEED_LENGTH]
        )
        for comment in comments:
            comment.public_page = page
        return comments
