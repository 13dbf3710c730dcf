"""Danish search as a new user meets it, the same on the embedded default (SQLite FTS5) and on
PostgreSQL: inflections find each other, ae/oe/aa find æ/ø/å, and quotes or NUL bytes typed
into any search box give an answer, not an error.

Run it on PostgreSQL too: ``DATABASE_URL=postgres://... pytest tests/search``.
"""

from __future__ import annotations

import pytest

from home.models import StandardPage
from search import services
from tests.factories import CasePageFactory, ResourcePageFactory


def add_page(parent, title, intro=""):
    return parent.add_child(instance=StandardPage(title=title, intro=intro))


def titles(result):
    return sorted(hit.title for hit in result.page.object_list)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "one, other",
    [("frivillig", "frivillige"), ("kommune", "kommuner"), ("partnerskab", "partnerskaber")],
)
def test_inflections_find_the_same_pages(home_page, one, other):
    add_page(home_page, "Frivillige i kommunerne", "Kommuner og frivillige indgår partnerskaber.")
    add_page(home_page, "Noget helt andet", "Om cykler.")

    assert titles(services.site_search(None, one)) == ["Frivillige i kommunerne"]
    assert titles(services.site_search(None, other)) == ["Frivillige i kommunerne"]


@pytest.mark.django_db
def test_partnership_finds_the_partnership_resources_in_the_library(library):
    ResourcePageFactory(
        parent=library, title="Guide til partnerskaber", abstract="Sådan indgår I partnerskaber."
    )
    ResourcePageFactory(parent=library, title="Cykelstier", abstract="Om cykelstier.")

    result = services.library_search(None, query="partnerskab")

    assert [hit.title for hit in result.hits] == ["Guide til partnerskaber"]
    assert "<mark>partnerskaber</mark>" in result.hits[0].snippet


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["vaage", "våge", "aeldre", "ældre", "boern", "børn", "Aeldre", "VAAGE"]
)
def test_ae_oe_aa_find_danish_letters_in_search(home_page, typed):
    add_page(home_page, "Våge over ældre børn", "Nattevagter våger over de ældre børn.")
    add_page(home_page, "Noget helt andet", "Om cykler.")

    result = services.site_search(None, typed)

    assert titles(result) == ["Våge over ældre børn"]
    [hit] = result.page.object_list
    assert "<mark>" in hit.snippet  # what matched is marked, however it was typed


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["aeld", "ældr", "vaag", "Våg", "boer", "bør"])
def test_ae_oe_aa_find_danish_letters_in_autocomplete(home_page, typed):
    add_page(home_page, "Våge over ældre børn")
    add_page(home_page, "Cykler")

    assert [item["title"] for item in services.autocomplete(None, typed)] == [
        "Våge over ældre børn"
    ]


@pytest.mark.django_db
def test_case_bank_finds_ae_oe_aa(case_bank):
    CasePageFactory(parent=case_bank, title="Ældre i bevægelse", summary="Motion for ældre.")
    CasePageFactory(parent=case_bank, title="Cykelbyen", summary="Cykelstier.")

    result = services.library_search(None, query="aeldre", kind="cases")

    assert [hit.title for hit in result.hits] == ["Ældre i bevægelse"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"',
        'frivillige"',
        '"frivillige',
        "frivillige AND",
        "NEAR(frivillige",
        "frivillige*",
        "^frivillige",
        "fri\x00villige",
        "\x00",
        "'; DROP TABLE x; --",
        "-",
        "og",
        "(",
        ":",
    ],
)
def test_any_query_gives_an_answer(client, home_page, library, case_bank, query):
    add_page(home_page, "Frivillige i kommunerne", "Frivillige hjælper.")
    ResourcePageFactory(parent=library, title="Frivillige ressourcer")
    CasePageFactory(parent=case_bank, title="Frivillige cases")

    for url in ("/soeg/", "/soeg/bibliotek/", case_bank.url, library.url, "/soeg/autocomplete/"):
        response = client.get(url, {"q": query})
        # A NUL byte anywhere in a request is refused with a clear 400 (core.bad_input).
        assert response.status_code == (400 if "\x00" in query else 200), (url, query)
    response = client.get("/soeg/bibliotek/", {"q": query, "land": query, "tema": query})
    assert response.status_code == (400 if "\x00" in query else 200)
