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
    "query, title, intro, marked",
    [
        ("cyklen", "Cyklerne i Odense", "Byen låner cyklerne ud.", "cyklerne"),
        ("frivillig", "Frivillige i ældreplejen", "Mange frivillige hjælper.", "frivillige"),
        ("bøgetræer", "Bøgetræerne i parken", "Parken plantede bøgetræerne i år.", "bøgetræerne"),
        ("skolen", "Skolerne samarbejder", "Skolerne deler lærere.", "Skolerne"),
    ],
)
def test_danish_inflections_find_each_other(home_page, query, title, intro, marked):
    add_page(home_page, title, intro)
    add_page(home_page, "Noget helt andet", "Om noget helt andet.")

    result = services.site_search(None, query)

    [hit] = result.page.object_list
    assert hit.title == title
    # The highlighter stems the way PostgreSQL does, so the inflected word is what is marked.
    assert hit.snippet == intro.replace(marked, f"<mark>{marked}</mark>")


def test_snowball_conflates_the_pairs_we_rely_on():
    for a, b in [("cyklen", "cyklerne"), ("frivillig", "frivillige"), ("skolen", "skolerne")]:
        assert text.stem(a) == text.stem(b)


@pytest.mark.postgres
@pytest.mark.django_db
def test_danish_stop_words_do_not_block_a_match(home_page):
    add_page(home_page, "Cykler til børn")
    assert services.site_search(None, "cykler og børn").total == 1
