"""The library search's own database work: PostgreSQL ranks the way modelsearch does (through
our GIN index), and counts, order and pages come out of SQL the same on every database."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from members_area.access import visible_pages
from search import services, text
from taxonomy.models import Theme
from tests.factories import (
    CasePageFactory,
    MemberFactory,
    ResourcePageFactory,
    restrict_to_members,
)

WORD = "nabohjælp"


def first_published(page, year: int, month: int = 1):
    when = datetime.datetime(year, month, 15, 12, tzinfo=datetime.UTC)
    Page.objects.filter(pk=page.pk).update(first_published_at=when)
    return page


def titles(result) -> list[str]:
    return [hit.title for hit in result.hits]


def all_titles(**search) -> list[str]:
    """Titles of every page of a search, page after page."""
    found, number = [], 1
    while True:
        result = services.library_search(None, page=number, **search)
        found += titles(result)
        if not result.page.has_next():
            return found
        number += 1


# --- Teasers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        # Every term must occur (after stemming); the score counts the matching words.
        ("ældre", {1: 1, 2: 1, 5: 1}),  # "ældres" is "ældre"; "ældreplejen" is not
        ("frivillige ældre", {1: 2}),
        ("og", {}),  # only a stop word: nothing to match
        ("cykel børn", {}),  # "cykel" and "cykler" stem apart in Snowball Danish
        ("ÆLDRE", {1: 1, 2: 1, 5: 1}),
        ("købmand-ø", {3: 2}),
    ],
)
def test_teaser_matching_follows_the_text_rules(query, expected):
    teasers = {
        1: "Frivillige i ældreplejen hjælper ældre med cykler.",
        2: "Børn og cykler: et værksted for børn (og ældre).",
        3: "Købmanden på Ærø, ø-samfund og frivillige_kræfter.",
        4: "",
        5: "İstanbul ﬁre Ǆ ß ÆØÅ æøå 2026 ældres",
    }
    matcher = text.QueryMatcher(query, "da")
    scores = {pk: matcher.score(teaser) for pk, teaser in teasers.items()}
    assert {pk: score for pk, score in scores.items() if score is not None} == expected


# --- Order and pages --------------------------------------------------------------------------


@pytest.fixture
def dated(library, case_bank):
    """Publication years and first publication dates that decide "newest first"."""
    first_published(ResourcePageFactory(parent=library, title=f"Gammel {WORD}", year=2020), 2025)
    first_published(ResourcePageFactory(parent=library, title=f"Ny {WORD}", year=2024), 2021)
    first_published(ResourcePageFactory(parent=library, title=f"Nyere {WORD}", year=2024), 2022)
    first_published(ResourcePageFactory(parent=library, title=f"Uden år {WORD}", year=None), 2023)
    first_published(CasePageFactory(parent=case_bank, title=f"Case {WORD}"), 2022, month=6)
    return [f"Nyere {WORD}", f"Ny {WORD}", f"Uden år {WORD}", f"Case {WORD}", f"Gammel {WORD}"]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", WORD])
def test_newest_first_is_the_year_then_the_first_publication(dated, query):
    assert all_titles(query=query, sort="date", page_size=2) == dated


@pytest.fixture
def ranked(library):
    """Resources mentioning the word more or less often, every other one on the climate."""
    climate = Theme.objects.create(name="Klimatilpasning", slug="test-klima", sort_order=90)
    for number in range(1, 7):
        page = ResourcePageFactory(
            parent=library,
            title=f"Ressource {number}",
            abstract=" ".join([WORD] * number + ["og", "andet"] * (7 - number)),
        )
        if number % 2:
            page.themes.set([climate])
            page.save_revision().publish()
    return climate


@pytest.mark.django_db
def test_a_facet_filter_keeps_the_ranked_order_page_after_page(ranked):
    best_first = all_titles(query=WORD, kind="resources")
    on_climate = {"Ressource 1", "Ressource 3", "Ressource 5"}

    filtered = all_titles(
        query=WORD, kind="resources", filters={"tema": [str(ranked.pk)]}, page_size=2
    )

    assert filtered == [title for title in best_first if title in on_climate]
    assert len(best_first) == 6


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_ranks_the_visible_pages_as_modelsearch_does(library, case_bank):
    for number in range(1, 6):
        ResourcePageFactory(
            parent=library,
            title=f"Cyklerne i by {number}" if number % 2 else f"Ressource {number}",
            abstract=" ".join(["cykel værksted"] * number + ["frivillige"] * (6 - number)),
        )
    CasePageFactory(parent=case_bank, title="Cykelværksted", summary="Frivillige cykler sammen.")
    hidden = ResourcePageFactory(parent=library, title="Lukket cykel", abstract="Cykler.")
    restrict_to_members(hidden)

    for user in (AnonymousUser(), MemberFactory()):
        pages = visible_pages(Page.objects.live(), user)
        for query in ("cykel", "cyklerne", "frivillige cykler", "værksted-cykel", "cykel og"):
            expected = get_search_backend().search(query, pages, operator="and").get_queryset()
            ranked = services.ranked_ids(pages, query)
            assert ranked == list(expected.values_list("pk", flat=True))
            assert len(ranked) > 1
        assert (hidden.pk in services.ranked_ids(pages, "cykel")) == user.is_authenticated
        assert services.ranked_ids(pages, "-") == []


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_index_entries_are_laid_out_for_fast_matching():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s",
            ["site_search_indexentry_title_body_gin"],
        )
        assert "gin_pending_list_limit=256" in cursor.fetchone()[0]
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute "
            "WHERE attrelid = 'wagtailsearch_indexentry'::regclass AND attname = ANY(%s)",
            [["title", "body"]],
        )
        assert dict(cursor.fetchall()) == {"title": "m", "body": "m"}
