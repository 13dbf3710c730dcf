"""The anonymous page cache stores the bare URL and a few known parameters, nothing else.

Every distinct query string used to get its own entry, so 200 random query strings filled
Redis with 200 copies of one page (issue 11 item 7).
"""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import cache

from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def news_index(home_page):
    from tests.factories import NewsIndexPageFactory

    index = NewsIndexPageFactory(parent=home_page)
    for n in range(3):
        NewsPageFactory(parent=index, title=f"Nyhed {n}")
    return index


def _entries() -> int:
    """Pages in the cache (LocMemCache's keys), not counting the memoised site chrome."""
    return sum(1 for key in cache._cache if "page-cache:" in key and ":chrome:" not in key)


def test_random_query_strings_do_not_create_cache_entries(client, news_index):
    client.get(news_index.url)
    assert client.get(news_index.url)["X-Page-Cache"] == "hit"
    before = _entries()

    for _ in range(200):
        response = client.get(f"{news_index.url}?{secrets.token_hex(4)}={secrets.token_hex(8)}")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response

    assert _entries() == before


@pytest.mark.parametrize(
    "query",
    ["side=999", "side=0", "side=01", "side=1&side=2", "side=abc", "vis=alle", "side=" + "9" * 40],
)
def test_values_outside_the_whitelist_bypass_the_cache(client, news_index, query):
    before = _entries()
    first = client.get(f"{news_index.url}?{query}")
    second = client.get(f"{news_index.url}?{query}")
    assert first.status_code == second.status_code == 200
    assert "X-Page-Cache" not in second
    assert _entries() == before


def test_listing_pages_within_bounds_are_cached_each_once(client, news_index):
    assert client.get(f"{news_index.url}?side=2")["X-Page-Cache"] == "miss"
    assert client.get(f"{news_index.url}?side=2")["X-Page-Cache"] == "hit"


def test_tracking_parameters_read_the_bare_page_but_never_store(client, news_index):
    before = _entries()
    tracked = client.get(f"{news_index.url}?utm_source=nyhedsbrev&utm_campaign=dec")
    assert tracked.status_code == 200 and "X-Page-Cache" not in tracked
    assert _entries() == before  # nothing stored from a tracked request

    client.get(news_index.url)  # the bare page is cached ...
    reader = client.get(f"{news_index.url}?utm_source=nyhedsbrev&fbclid=abc")
    assert reader["X-Page-Cache"] == "hit"  # ... and read by the newsletter's readers
    assert "Nyhed 0" in reader.content.decode()
