"""Posts show their author's municipality (thread page, search) without a query per post,
and search shows rendered excerpts, never Markdown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum import services

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    """Queries of a warm request: the first fills the site's header and footer caches,
    which new content (a new member organisation) invalidates."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _add_posts(thread, member_of, count, start):
    for n in range(start, start + count):
        author = member_of(f"Testkommune {n}", first_name=f"Forfatter{n}", last_name="X")
        services.reply(author, thread=thread, body=f"Svar nummer {n} om **samskabelse**")


def test_thread_page_shows_municipalities_with_constant_queries(
    client, vejle_member, forum_category, member_of
):
    thread = services.start_thread(
        vejle_member, category=forum_category, title="Samskabelse", body="Start om samskabelse"
    )
    _add_posts(thread, member_of, 2, 0)
    reader = member_of("Læserkommune")
    client.force_login(reader)
    url = f"/medlemmer/forum/traad/{thread.pk}/"
    few, html = _queries(client, url)
    assert "Mette Hansen</strong>, <span" in html and "Vejle Kommune" in html
    assert "Testkommune 1" in html

    _add_posts(thread, member_of, 6, 2)
    many, html = _queries(client, url)
    assert "Testkommune 7" in html
    assert many == few


def test_search_shows_rendered_excerpts_and_municipalities_with_constant_queries(
    client, vejle_member, forum_category, member_of
):
    thread = services.start_thread(
        vejle_member,
        category=forum_category,
        title="Erfaringer",
        body="**Samskabelse** i [Vejle](https://vejle.dk) med _frivillige_.",
    )
    _add_posts(thread, member_of, 2, 0)
    client.force_login(vejle_member)
    url = "/medlemmer/forum/soeg/?q=samskabelse"
    few, html = _queries(client, url)
    assert "<mark>Samskabelse</mark> i Vejle med frivillige." in html
    assert "**" not in html and "](https://vejle.dk)" not in html and "_frivillige_" not in html
    assert "Vejle Kommune" in html and "Testkommune 1" in html
    assert f'href="/medlemmer/forum/indlaeg/{thread.posts.first().pk}/"' in html

    _add_posts(thread, member_of, 5, 2)
    many, html = _queries(client, url)
    assert "Testkommune 6" in html
    assert many == few
