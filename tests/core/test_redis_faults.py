"""A refused, killed or hung Redis costs each page milliseconds, not the visitor's request.

The cache runs on a Redis of the test's own (tests/own_redis.py), frozen with SIGSTOP for the
hung case. Without the circuit breaker every cache call on a page (page cache, menu, locale
roots, rate-limit counter) waits out its socket timeout: 12 pages took over 30 s.
"""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from core.circuit_breaker import CLOSED, OPEN
from tests.factories import (
    CaseIndexPageFactory,
    CasePageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    LibraryPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    ResourcePageFactory,
    StandardPageFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow, pytest.mark.redis]

# A generous bound: 12 pages take well under a second with the breaker, 30 s+ without.
BOUND_SECONDS = 5


@pytest.fixture
def public_urls(home_page):
    news = NewsIndexPageFactory(parent=home_page)
    events = EventIndexPageFactory(parent=home_page)
    cases = CaseIndexPageFactory(parent=home_page)
    library = LibraryPageFactory(parent=home_page)
    pages = [
        home_page,
        StandardPageFactory(parent=home_page, title="Om netværket", slug="om"),
        news,
        NewsPageFactory(parent=news, title="Ny strategi"),
        NewsPageFactory(parent=news, title="Årsmøde"),
        events,
        EventPageFactory(parent=events, title="Temadag"),
        cases,
        CasePageFactory(parent=cases, title="Cykelværksted"),
        library,
        ResourcePageFactory(parent=library, title="Guide"),
    ]
    return [page.url for page in pages] + ["/soeg/?q=cykel"]  # search: a rate-limit counter


def _load_all(client, urls) -> tuple[list[int], float]:
    started = time.monotonic()
    statuses = [client.get(url).status_code for url in urls]
    return statuses, time.monotonic() - started


def _warm(client, urls):
    for url in urls:
        client.get(url)
    assert client.get(urls[0])["X-Page-Cache"] == "hit"


def test_hung_redis_is_skipped_after_the_first_timeout_and_used_again_after_it_thaws(
    client, redis_cache, public_urls
):
    assert len(public_urls) == 12
    _warm(client, public_urls)
    before = redis_cache.connections_received()

    redis_cache.freeze()
    statuses, seconds = _load_all(client, public_urls)
    again, _ = _load_all(client, public_urls)

    assert statuses == [200] * 12 and again == [200] * 12
    assert seconds < BOUND_SECONDS
    assert cache.breaker.state == OPEN

    redis_cache.thaw()
    # The frozen Redis saw one connection attempt (the first timeout), not one per cache call.
    assert redis_cache.connections_received() - before <= 2
    cache.breaker.reset_after = 0  # the pause is over: the next call probes
    assert client.get(public_urls[0]).status_code == 200
    assert cache.breaker.state == CLOSED
    assert client.get(public_urls[0])["X-Page-Cache"] == "hit"


def test_killed_redis_costs_nothing_and_the_site_serves_every_page(
    client, redis_cache, public_urls
):
    _warm(client, public_urls)

    redis_cache.kill()
    statuses, seconds = _load_all(client, public_urls)

    assert statuses == [200] * 12
    assert seconds < BOUND_SECONDS
    assert cache.breaker.state == OPEN


def test_redis_down_from_the_start_and_coming_back(client, redis_cache, public_urls):
    redis_cache.kill()

    statuses, seconds = _load_all(client, public_urls)
    assert statuses == [200] * 12
    assert seconds < BOUND_SECONDS
    assert cache.breaker.state == OPEN

    redis_cache.start()
    cache.breaker.reset_after = 0
    assert client.get(public_urls[0]).status_code == 200
    assert cache.breaker.state == CLOSED
    assert client.get(public_urls[0])["X-Page-Cache"] == "hit"


def test_rate_limits_fail_open_while_redis_is_hung(client, home_page, redis_cache, rate_limits):
    rate_limits(search={"ip": "3/m"})
    redis_cache.freeze()

    statuses = [client.get("/soeg/", {"q": f"cykel {n}"}).status_code for n in range(6)]

    # Nobody is locked out by a counter that cannot be read; the visitor gets results.
    assert statuses == [200] * 6
    assert cache.breaker.state == OPEN
