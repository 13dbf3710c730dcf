"""ae/oe/aa find æ/ø/å on Elasticsearch and OpenSearch too: queries go out in every Danish
spelling of what was typed (generated requests checked without a server; the live path on
osmem-server)."""

from __future__ import annotations

import pytest
from wagtail.search.backends import get_search_backend

from home.models import StandardPage
from search import services, text


def test_danish_spellings_of_what_was_typed():
    assert text.danish_spellings("boern vaage") == [
        "boern vaage",
        "børn vaage",
        "boern våge",
        "børn våge",
    ]
    assert text.danish_spellings("Aeldre") == ["Aeldre", "Ældre"]
    assert text.danish_spellings("cykel") == ["cykel"]
    assert len(text.danish_spellings("aa aa aa aa aa")) == text.MAX_SPELLINGS


@pytest.fixture
def es9():
    return get_search_backend(
        "search.backends.elasticsearch9", URLS=["http://127.0.0.1:9"], INDEX="netvaerk"
    )


@pytest.mark.django_db
def test_es9_search_sends_every_spelling(es9):
    body = str(es9.query_compiler_class(StandardPage.objects.all(), "boern").get_query())
    assert "'boern'" in body and "'børn'" in body and "minimum_should_match" in body


@pytest.mark.django_db
def test_es9_autocomplete_sends_every_spelling_folded(es9):
    body = str(
        es9.autocomplete_query_compiler_class(StandardPage.objects.all(), "boer").get_query()
    )
    # "bør" folded like the index folds it (asciifolding: ø -> o).
    assert "'boer'" in body and "'bor'" in body and "ø" not in body


@pytest.mark.search_engine
@pytest.mark.django_db
def test_ae_oe_aa_find_danish_letters_through_the_engine(opensearch, home_page):
    home_page.add_child(instance=StandardPage(title="Børn og våger", intro="Om børn."))
    home_page.add_child(instance=StandardPage(title="Cykler", intro="Om cykler."))
    opensearch.refresh_indexes()

    assert [hit.title for hit in services.site_search(None, "boern").page.object_list] == [
        "Børn og våger"
    ]
    assert [item["title"] for item in services.autocomplete(None, "boer")] == ["Børn og våger"]
