"""Danish full-text search on PostgreSQL (SEARCH_CONFIG "danish")."""

from __future__ import annotations

import pytest

from home.models import StandardPage
from search import services, text


def add_page(parent, title, intro=""):
    return parent.add_child(instance=StandardPage(title=title, intro=intro))


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, title",
    [
        ("cyklen", "Cyklerne i Odense"),
        ("frivillig", "Frivillige i ældreplejen"),
        ("bøgetræer", "Bøgetræerne i parken"),
        ("skolen", "Skolerne samarbejder"),
    ],
)
def test_danish_inflections_find_each_other(home_page, query, title):
    add_page(home_page, title)
    add_page(home_page, "Noget helt andet")

    result = services.site_search(None, query)

    assert [hit.title for hit in result.page.object_list] == [title]
    # The highlighter stems the same way, so the matched word is marked.
    assert "<mark>" in result.page.object_list[0].snippet or title in str(
        result.page.object_list[0].title
    )


def test_snowball_conflates_the_pairs_we_rely_on():
    for a, b in [("cyklen", "cyklerne"), ("frivillig", "frivillige"), ("skolen", "skolerne")]:
        assert text.stem(a) == text.stem(b)


@pytest.mark.postgres
@pytest.mark.django_db
def test_danish_stop_words_do_not_block_a_match(home_page):
    add_page(home_page, "Cykler til børn")
    assert services.site_search(None, "cykler og børn").total == 1
