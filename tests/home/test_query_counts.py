"""SQL queries per page stay low and constant as the lists grow (issue 2 target: <= 12)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.demo import load_demo_content
from home.models import NewsIndexPage, NewsPage
from tests.factories import NewsPageFactory

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


def _queries(client, url) -> int:
    client.get(url)  # warm per-process caches (site root, content types, settings)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_per_page_are_few_and_do_not_grow_with_content(client, home_page):
    load_demo_content()
    index = NewsIndexPage.objects.get(locale=home_page.locale)
    post = NewsPage.objects.get(slug="social-innovation-i-en-dansk-kontekst")
    urls = ["/", index.url, post.url]
    before = [_queries(client, url) for url in urls]

    for n in range(25):
        NewsPageFactory(parent=index, title=f"Ekstra nyhed {n}")
    after = [_queries(client, url) for url in urls]

    assert max(before) <= MAX_QUERIES, dict(zip(urls, before, strict=True))
    assert after == before, dict(zip(urls, zip(before, after, strict=True), strict=True))
