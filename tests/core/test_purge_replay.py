"""Purges made while Redis is away still take effect when it comes back.

The purge generation lives in the database, so pages Redis kept (in memory while hung, or in a
snapshot it restarts from) are never served again once something was published meanwhile:
the news listing, the page itself and the menu all show the new content (issue 11 item 16).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.redis]


@pytest.fixture
def site(home_page):
    news = NewsIndexPageFactory(parent=home_page, show_in_menus=True)
    post = NewsPageFactory(parent=news, title="Budget vedtaget")
    return news, post


def _warm(client, urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"


def _back(cache_breaker):
    cache_breaker.reset_after = 0  # the breaker's pause is over: the next call probes Redis


def _publish_while_away(home_page, news, post):
    post.title = "Budget vedtaget – rettet"
    post.save_revision().publish()
    NewsPageFactory(parent=news, title="Ny aftale underskrevet")
    StandardPageFactory(parent=home_page, title="Kontakt sekretariatet", show_in_menus=True)


def _assert_new_content_everywhere(client, news, post):
    listing = client.get(news.url)
    assert listing.status_code == 200
    assert "Ny aftale underskrevet" in listing.content.decode()
    assert "Budget vedtaget – rettet" in listing.content.decode()
    assert "Kontakt sekretariatet" in listing.content.decode()  # the menu
    page = client.get(post.url).content.decode()
    assert "Budget vedtaget – rettet" in page
    home = client.get("/").content.decode()
    assert "Kontakt sekretariatet" in home


def test_pages_published_while_redis_was_down_are_served_after_it_restarts_from_its_snapshot(
    client, home_page, site, redis_cache
):
    news, post = site
    _warm(client, ["/", news.url, post.url])
    redis_cache.snapshot()  # what Redis has on disk when it goes down

    redis_cache.kill()
    _publish_while_away(home_page, news, post)
    assert client.get(news.url).status_code == 200

    redis_cache.start()  # back, with the old pages from its snapshot
    assert redis_cache.client().dbsize() > 0
    _back(cache.breaker)

    _assert_new_content_everywhere(client, news, post)


def test_pages_published_while_redis_was_hung_are_served_after_it_thaws(
    client, home_page, site, redis_cache
):
    news, post = site
    _warm(client, ["/", news.url, post.url])

    redis_cache.freeze()
    _publish_while_away(home_page, news, post)
    assert client.get(news.url).status_code == 200

    redis_cache.thaw()  # back, with every old page still in memory
    _back(cache.breaker)

    _assert_new_content_everywhere(client, news, post)
    # And the cache works again for the new content.
    assert client.get(news.url)["X-Page-Cache"] == "hit"
