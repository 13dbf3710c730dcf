"""A page's view restrictions are read in one query and are the ones Wagtail itself finds."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    restrict_to_members,
)


def wagtails(page) -> set[int]:
    return set(Page.get_view_restrictions(page).values_list("pk", flat=True))


def ours(page) -> set[int]:
    return set(page.get_view_restrictions().values_list("pk", flat=True))


def test_restrictions_of_page_and_ancestors_match_wagtail_in_one_query(home_page):
    news = NewsIndexPageFactory(parent=home_page)
    post = NewsPageFactory(parent=news)
    open_page = StandardPageFactory(parent=home_page, slug="aaben")
    on_news = restrict_to_members(news)
    on_post = restrict_to_members(post)

    assert ours(post) == wagtails(post) == {on_news.pk, on_post.pk}
    assert ours(news) == wagtails(news) == {on_news.pk}
    assert ours(open_page) == wagtails(open_page) == set()
    with CaptureQueriesContext(connection) as captured:
        list(post.get_view_restrictions())
        list(open_page.get_view_restrictions())
    # Besides reading the cache generation: one query for the restricted page, none for the
    # open one (the restrictions are known once per generation).
    reads = [query for query in captured if "core_cachegeneration" not in query["sql"]]
    assert len(reads) == 1


def test_a_new_restriction_applies_at_once(home_page):
    """The restrictions are kept per worker, but every change purges: none goes unseen."""
    news = NewsIndexPageFactory(parent=home_page)
    post = NewsPageFactory(parent=news)
    assert ours(post) == set()

    restriction = restrict_to_members(news)
    assert ours(post) == {restriction.pk}

    restriction.delete()
    assert ours(post) == set()


def test_alias_counts_as_its_source_page(home_page):
    source_parent = StandardPageFactory(parent=home_page, slug="kilde")
    source = StandardPageFactory(parent=source_parent, slug="side")
    elsewhere = StandardPageFactory(parent=home_page, slug="andetsteds")
    on_source = restrict_to_members(source)
    alias = source.create_alias(parent=elsewhere, update_slug="alias").specific
    child = StandardPageFactory(parent=alias, slug="barn")
    restrict_to_members(alias)  # restrictions on the alias itself are ignored, as in Wagtail

    assert ours(alias) == wagtails(alias) == {on_source.pk}
    assert ours(child) == wagtails(child)
    assert on_source.pk in ours(child)
