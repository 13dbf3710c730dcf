"""SQL queries per public page: at most 12, and the same with three times as much content.

Every page kind a visitor opens (news index and post, event, case bank and case, library,
library search and site search) is built with N items of each list, counted, grown to 3N and
counted again (issue 16). Counted on a warm worker (the second request), as in production.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taxonomy.models import Actor, Theme
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

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12
N = 2


def _queries(client, url: str) -> int:
    client.get(url)  # a warm worker: per-process lookups (site, root, content types) known
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


class Site:
    """Lists that grow: news, events, cases (public and members-only), resources."""

    def __init__(self, home_page):
        self.news = NewsIndexPageFactory(parent=home_page)
        self.events = EventIndexPageFactory(parent=home_page)
        self.cases = CaseIndexPageFactory(parent=home_page)
        self.library = LibraryPageFactory(parent=home_page)
        self.themes = [
            Theme.objects.get_or_create(slug=f"tema-{n}", defaults={"name": f"Tema {n}"})[0]
            for n in range(3)
        ]
        self.actors = [
            Actor.objects.get_or_create(slug=f"aktoer-{n}", defaults={"name": f"Aktør {n}"})[0]
            for n in range(2)
        ]
        self.count = 0

    def grow(self, n: int) -> None:
        for _ in range(n):
            number = self.count = self.count + 1
            NewsPageFactory(parent=self.news, title=f"Kommune nyhed {number}")
            EventPageFactory(parent=self.events, title=f"Kommune arrangement {number}")
            StandardPageFactory(parent=self.news.get_parent(), title=f"Kommune side {number}")
            case = CasePageFactory(
                parent=self.cases,
                title=f"Kommune case {number}",
                members_only=number % 2 == 0,
            )
            case.themes.set(self.themes[: 1 + number % 3])
            case.actors.set(self.actors)
            case.save_revision().publish()
            resource = ResourcePageFactory(
                parent=self.library,
                title=f"Kommune ressource {number}",
                members_only=number % 2 == 1,
            )
            resource.themes.set(self.themes[:2])
            resource.save_revision().publish()

    def urls(self) -> dict[str, str]:
        post = self.news.get_children().live().first()
        event = self.events.get_children().live().first()
        case = self.cases.get_children().live().first()
        return {
            "news index": self.news.url,
            "news post": post.url,
            "event index": self.events.url,
            "event": event.url,
            "case bank": self.cases.url,
            "case bank, filtered": f"{self.cases.url}?tema={self.themes[0].pk}",
            "case": case.url,
            "library": self.library.url,
            "library search": "/soeg/bibliotek/?q=kommune",
            "site search": "/soeg/?q=kommune",
        }


def test_every_page_kind_takes_few_queries_and_no_more_as_its_lists_grow(client, home_page):
    site = Site(home_page)
    site.grow(N)
    urls = site.urls()
    before = {kind: _queries(client, url) for kind, url in urls.items()}

    site.grow(2 * N)
    after = {kind: _queries(client, url) for kind, url in urls.items()}

    print(before)
    assert max(before.values()) <= MAX_QUERIES, before
    assert after == before, {kind: (before[kind], after[kind]) for kind in urls}
