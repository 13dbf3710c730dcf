"""Page URLs in a listing: Wagtail's own, with the part up to the parent reversed once."""

from __future__ import annotations

import pytest
from django.utils import translation
from wagtail.models import Page

from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

SLUGS = ("foerste", "æblegrød", "nyhed_3", "ål-og-ø")


def wagtails(page, rf):
    """Wagtail's own answer, on a request of its own (nothing shared with ours)."""
    return Page.get_url_parts(page, rf.get("/"))


def test_siblings_get_wagtails_urls_with_one_reverse_for_their_parent(rf, news_index):
    posts = [NewsPageFactory(parent=news_index, slug=slug) for slug in SLUGS]
    request = rf.get("/")

    ours = [post.get_url_parts(request) for post in posts]

    assert ours == [wagtails(post, rf) for post in posts]
    assert [post.get_url(request) for post in posts] == [
        f"{news_index.get_url(rf.get('/'))}{slug}/"
        for slug in ("foerste", "%C3%A6blegr%C3%B8d", "nyhed_3", "%C3%A5l-og-%C3%B8")
    ]
    assert len(request._page_url_prefixes) == 1


def test_the_language_is_part_of_what_is_reused(rf, news_index):
    """The same page reversed under another active language gets that language's answer."""
    first, second = NewsPageFactory(parent=news_index), NewsPageFactory(parent=news_index)
    request = rf.get("/")
    first.get_url_parts(request)
    with translation.override("en"):
        ours = second.get_url_parts(request)
        assert ours == wagtails(second, rf)
