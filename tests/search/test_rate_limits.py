"""Every way in to the search is rate limited per visitor: /soeg/, /soeg/bibliotek/ and the
library search embedded in the case bank and the library pages."""

from __future__ import annotations

import pytest

from tests.factories import CaseIndexPageFactory, LibraryPageFactory

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def pages(home_page):
    return {
        "cases": CaseIndexPageFactory(parent=home_page).url,
        "library": LibraryPageFactory(parent=home_page).url,
    }


@pytest.mark.parametrize("where", ["cases", "library"])
def test_searching_an_index_page_is_rate_limited(client, pages, rate_limits, where):
    rate_limits(search={"ip": "2/h"}, library_search={"ip": "2/h"})
    url = pages[where]

    assert client.get(url, {"q": "klima"}).status_code == 200
    assert client.get(url, {"tema": "1"}).status_code == 200  # a filter is a search too
    limited = client.get(url, {"q": "ældre"})

    assert limited.status_code == 429
    assert "For mange søgninger" in limited.content.decode()
    # The page itself, without a search, is still there.
    assert client.get(url).status_code == 200


def test_embedded_searches_share_the_library_search_budget(client, pages, rate_limits):
    rate_limits(search={"ip": "2/h"}, library_search={"ip": "2/h"})

    assert client.get(pages["cases"], {"q": "klima"}).status_code == 200
    assert client.get("/soeg/bibliotek/", {"q": "klima"}).status_code == 200
    assert client.get(pages["library"], {"q": "klima"}).status_code == 429
    assert client.get("/soeg/bibliotek/", {"q": "klima"}).status_code == 429


@pytest.mark.parametrize("where", ["cases", "library", "/soeg/bibliotek/"])
def test_only_searches_count_against_the_library_budget(client, pages, rate_limits, where):
    """The library search view counts like the pages embedding it: a plain listing (no query,
    no filter) is not a search and never spends the budget."""
    rate_limits(library_search={"ip": "2/h"})
    url = pages.get(where, where)

    assert [client.get(url).status_code for _ in range(5)] == [200] * 5
    assert client.get(url, {"q": "klima"}).status_code == 200
    assert client.get(url, {"q": "klima"}).status_code == 200
    assert client.get(url, {"q": "klima"}).status_code == 429


@pytest.mark.parametrize("url", ["cases", "library", "/soeg/", "/soeg/bibliotek/"])
def test_search_limit_is_per_visitor_behind_the_proxy(client, pages, settings, rate_limits, url):
    rate_limits(search={"ip": "2/h"}, library_search={"ip": "2/h"})
    settings.TRUSTED_PROXY_COUNT = 1
    url = pages.get(url, url)

    def search_from(forwarded_for):
        return client.get(
            url, {"q": "klima"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for
        ).status_code

    assert [search_from("203.0.113.5") for _ in range(3)] == [200, 200, 429]
    # A forged first entry does not buy a fresh budget ...
    assert search_from("6.6.6.6, 203.0.113.5") == 429
    # ... and one busy visitor does not block the others behind the same proxy.
    assert search_from("198.51.100.7") == 200
