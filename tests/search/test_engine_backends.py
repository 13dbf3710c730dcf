"""Our Elasticsearch/OpenSearch backends: the wire path against osmem-server, the outbox
when the engine is down, and the Elasticsearch 9 request bodies (no server needed)."""

from __future__ import annotations

import socket
import time

import pytest
from django.core.management import CommandError, call_command
from osmem_server import OsmemServer
from wagtail.search.backends import get_search_backend

from home.models import StandardPage
from search.backends.common import SAVE_TIMEOUT, fold_accents
from search.index_health import index_drift, retry_pending_index_updates
from search.models import IndexOutbox

from .conftest import free_port, opensearch_settings


def add_page(parent, title, intro="", **kwargs):
    return parent.add_child(instance=StandardPage(title=title, intro=intro, **kwargs))


def titles(results):
    return sorted(page.title for page in results)


def refresh(backend):
    backend.refresh_indexes()


def test_fold_accents_matches_asciifolding():
    assert fold_accents("Smørrebrød på Ærø i København") == "Smorrebrod pa AEro i Kobenhavn"
    assert fold_accents("Åbenrå, Œuvre, straße") == "Abenra, OEuvre, strasse"


@pytest.mark.search_engine
@pytest.mark.django_db
def test_index_update_delete_and_filtered_search_over_the_wire(opensearch, home_page):
    bikes = add_page(home_page, "Cykelværksted for unge", "Frivillige reparerer cykler")
    add_page(home_page, "Madfællesskab", "Fællesspisning med frivillige", live=False)
    refresh(opensearch)

    found = opensearch.search("frivillige", StandardPage)
    assert titles(found) == ["Cykelværksted for unge", "Madfællesskab"]
    live_only = opensearch.search("frivillige", StandardPage.objects.live())
    assert titles(live_only) == ["Cykelværksted for unge"]

    bikes.title = "Værksted for cykler og knallerter"
    bikes.intro = "Unge lærer at reparere knallerter"
    bikes.save()
    refresh(opensearch)
    assert titles(opensearch.search("knallerter", StandardPage)) == [
        "Værksted for cykler og knallerter"
    ]
    assert titles(opensearch.search("frivillige", StandardPage.objects.live())) == []

    bikes.delete()
    refresh(opensearch)
    assert titles(opensearch.search("knallerter", StandardPage)) == []
    assert not IndexOutbox.objects.exists()


@pytest.mark.search_engine
@pytest.mark.django_db
def test_autocomplete_finds_danish_letter_prefixes_over_the_wire(opensearch, home_page):
    add_page(home_page, "Smørrebrød i København")
    add_page(home_page, "Ældrepleje på Ærø")
    add_page(home_page, "Åben skole")
    refresh(opensearch)

    for prefix, expected in [
        ("smø", "Smørrebrød i København"),
        ("Køben", "Smørrebrød i København"),
        ("ældre", "Ældrepleje på Ærø"),
        ("ÆRØ", "Ældrepleje på Ærø"),
        ("åbe", "Åben skole"),
        ("abe", "Åben skole"),
    ]:
        assert titles(opensearch.autocomplete(prefix, StandardPage)) == [expected], prefix


@pytest.mark.search_engine
@pytest.mark.django_db
def test_drift_report_and_fix_over_the_wire(opensearch, home_page):
    kept = add_page(home_page, "Velfærdsteknologi")
    refresh(opensearch)
    # Simulate drift: one page vanishes from the index, a stale document appears.
    opensearch.unindex_object_now(kept)
    opensearch.index_object_now(StandardPage(pk=987654, title="Forsvundet side", path="x", depth=9))
    refresh(opensearch)

    drift = {entry.label: entry for entry in index_drift(opensearch)}["home.StandardPage"]
    assert drift.missing == [str(kept.pk)]
    assert drift.extra == ["987654"]

    with pytest.raises(CommandError) as error:
        call_command("search_index_drift", stdout=open("/dev/null", "w"))
    assert error.value.returncode == 1
    call_command("search_index_drift", "--fix", stdout=open("/dev/null", "w"))
    assert not {e.label for e in index_drift(get_search_backend()) if e.drifted}


@pytest.mark.search_engine
@pytest.mark.django_db(transaction=True)
def test_engine_down_saving_still_works_and_the_outbox_drains(settings, home_page):
    port = free_port()  # nothing listens here yet: the engine is "down"
    settings.WAGTAILSEARCH_BACKENDS = opensearch_settings(f"http://127.0.0.1:{port}")

    page = add_page(home_page, "Socialøkonomiske virksomheder", "Arbejde til alle")
    page.intro = "Arbejde og fællesskab"
    page.save()

    row = IndexOutbox.objects.get(object_id=str(page.pk))
    assert row.action == IndexOutbox.Action.UPDATE
    assert "Connection" in row.last_error
    assert StandardPage.objects.get(pk=page.pk).intro == "Arbejde og fællesskab"

    result = retry_pending_index_updates()
    assert result["failed"] >= 1  # still down: backs off, keeps the row
    row.refresh_from_db()
    assert row.attempts == 1 and row.next_attempt_at > row.created_at

    with OsmemServer.start(addr=f"127.0.0.1:{port}", japanese=False):
        call_command("update_index", stdout=open("/dev/null", "w"))  # creates the index
        backend = get_search_backend()
        backend.unindex_object_now(page)  # the rebuild indexed it: undo, the outbox must redo it
        backend.refresh_indexes()
        assert titles(backend.search("fællesskab", StandardPage)) == []

        IndexOutbox.objects.update(next_attempt_at=row.created_at)  # due now
        assert retry_pending_index_updates()["written"] >= 1
        assert not IndexOutbox.objects.exists()
        backend.refresh_indexes()
        assert titles(backend.search("fællesskab", StandardPage)) == [
            "Socialøkonomiske virksomheder"
        ]


@pytest.fixture
def hanging_engine():
    """A port that accepts connections and never answers: an engine that hangs."""
    with socket.socket() as black_hole:
        black_hole.bind(("127.0.0.1", 0))
        black_hole.listen(64)
        yield black_hole


@pytest.mark.search_engine
@pytest.mark.django_db(transaction=True)
def test_a_hanging_engine_holds_a_save_up_briefly_and_the_outbox_drains(
    settings, home_page, hanging_engine
):
    port = hanging_engine.getsockname()[1]
    settings.WAGTAILSEARCH_BACKENDS = opensearch_settings(f"http://127.0.0.1:{port}")
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["TIMEOUT"] == 5  # as in production
    bound = SAVE_TIMEOUT + 1.5

    started = time.monotonic()
    page = add_page(home_page, "Sociale klausuler", "Lærepladser i udbud")
    created_in = time.monotonic() - started
    page.intro = "Lærepladser og sociale klausuler"
    started = time.monotonic()
    page.save()
    saved_in = time.monotonic() - started

    assert created_in < bound and saved_in < bound, (created_in, saved_in)
    assert StandardPage.objects.get(pk=page.pk).intro == "Lærepladser og sociale klausuler"
    row = IndexOutbox.objects.get(object_id=str(page.pk))
    assert row.action == IndexOutbox.Action.UPDATE
    assert "timed out" in row.last_error.lower() or "timeout" in row.last_error.lower()

    hanging_engine.close()  # the engine comes back on the same address
    with OsmemServer.start(addr=f"127.0.0.1:{port}", japanese=False):
        call_command("update_index", stdout=open("/dev/null", "w"))  # creates the index
        backend = get_search_backend()
        backend.unindex_object_now(page)  # the rebuild indexed it: undo, the outbox must redo it
        backend.refresh_indexes()
        assert titles(backend.search("klausuler", StandardPage)) == []

        assert retry_pending_index_updates()["written"] == 1
        assert not IndexOutbox.objects.exists()
        backend.refresh_indexes()
        assert titles(backend.search("klausuler", StandardPage)) == ["Sociale klausuler"]


def test_index_writes_after_a_save_get_the_short_timeout_on_elasticsearch_too(es9):
    assert es9.save_client._transport is es9.es._transport  # same connections
    assert es9.save_client._request_timeout == SAVE_TIMEOUT
    assert es9.save_client._max_retries == 0
    assert es9.es._request_timeout == 10  # searches keep the configured TIMEOUT


# --- Elasticsearch 9: the generated index settings, mapping and queries, without a server ---


@pytest.fixture
def es9():
    return get_search_backend(
        "search.backends.elasticsearch9",
        URLS=["http://127.0.0.1:9"],
        INDEX="netvaerk",
    )


def test_es9_index_settings_use_danish_analysis(es9):
    analysis = es9.settings["settings"]["analysis"]
    default = analysis["analyzer"]["default"]
    assert default["filter"] == ["lowercase", "danish_stop", "danish_stemmer", "asciifolding"]
    assert analysis["filter"]["danish_stemmer"] == {"type": "stemmer", "language": "danish"}
    assert analysis["filter"]["danish_stop"]["stopwords"] == "_danish_"
    # modelsearch's edge-n-gram analyzer is kept (it folds when indexing).
    assert "asciifolding" in analysis["analyzer"]["edgengram_analyzer"]["filter"]
    assert analysis["analyzer"]["autocomplete_query"]["filter"] == ["asciifolding", "lowercase"]
    assert es9.get_index_for_model(StandardPage).name == "netvaerk_wagtailcore_page"


def test_es9_and_opensearch3_settings_differ_only_in_danish_analysis(es9):
    opensearch = get_search_backend(
        "search.backends.opensearch3", URLS=["http://127.0.0.1:9"], INDEX="netvaerk"
    )
    assert opensearch.settings == es9.settings
    plain = get_search_backend(
        "search.backends.opensearch3",
        URLS=["http://127.0.0.1:9"],
        INDEX="netvaerk",
        DANISH_ANALYSIS=False,
    )
    assert plain.settings["settings"]["analysis"]["analyzer"]["default"]["filter"] == [
        "lowercase",
        "asciifolding",
    ]


def test_es9_mapping_searches_edgengrams_with_a_folding_analyzer(es9):
    properties = es9.mapping_class(StandardPage).get_mapping()["properties"]
    assert properties["_edgengrams"]["search_analyzer"] == "autocomplete_query"
    assert properties["title_edgengrams"]["search_analyzer"] == "autocomplete_query"


@pytest.mark.django_db
def test_es9_autocomplete_query_body_is_folded(es9):
    compiler = es9.autocomplete_query_compiler_class(StandardPage.objects.all(), "Smørrebrød Ærø")
    body = compiler.get_query()
    assert "Smorrebrod AEro" in str(body)
    assert "ø" not in str(body)
    # Full-text queries are left alone: the Danish analyzer needs æ/ø/å for stemming.
    search = es9.query_compiler_class(StandardPage.objects.all(), "bøgetræer")
    assert "bøgetræer" in str(search.get_query())


@pytest.mark.search_engine
@pytest.mark.django_db
def test_site_search_through_the_engine_hides_the_members_section(opensearch, home_page):
    from django.contrib.auth.models import User
    from wagtail.models import PageViewRestriction

    from members_area.access import members_group
    from search import services

    section = add_page(home_page, "Medlemsområde")
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members_group())
    add_page(section, "Budget for netværket", "Fortroligt budget")
    add_page(home_page, "Offentligt budget", "Kommunernes budget")
    member = User.objects.create_user("medlem", password="x" * 12)
    member.groups.add(members_group())
    refresh(opensearch)

    public = services.site_search(None, "budget")
    assert [hit.title for hit in public.page.object_list] == ["Offentligt budget"]
    assert services.site_search(member, "budget").total == 2
    assert [item["title"] for item in services.autocomplete(None, "Budg")] == ["Offentligt budget"]


@pytest.mark.search_engine
@pytest.mark.django_db
def test_library_search_through_the_engine_keeps_members_text_private(opensearch, home_page):
    from search import services
    from tests.factories import LibraryPageFactory, MemberFactory, ResourcePageFactory

    library = LibraryPageFactory(parent=home_page)
    ResourcePageFactory(
        parent=library, title="Åben rapport om skybrud", resource_type="report", language="da"
    )
    ResourcePageFactory(
        parent=library,
        title="Intern evaluering",
        resource_type="article",
        abstract="Hvad lærte vi?",
        body="<p>Skybrud og fortrolige tal</p>",
        members_only=True,
    )
    refresh(opensearch)

    public = services.library_search(None, query="skybrud", kind="resources")
    assert [hit.title for hit in public.hits] == ["Åben rapport om skybrud"]
    assert {v.value: v.count for v in public.facets[0].values} == {"report": 1}
    member = services.library_search(MemberFactory(), query="skybrud", kind="resources")
    assert member.total == 2
    filtered = services.library_search(
        MemberFactory(), query="skybrud", kind="resources", filters={"format": ["article"]}
    )
    assert [hit.title for hit in filtered.hits] == ["Intern evaluering"]
    assert [i["title"] for i in services.autocomplete(None, "åben")] == ["Åben rapport om skybrud"]


@pytest.mark.django_db
def test_es9_ranked_ids_asks_for_ids_only(es9, monkeypatch):
    sent = {}

    def fake_search(**kwargs):
        sent.update(kwargs)
        return {"hits": {"hits": [{"fields": {"pk": ["7"]}}, {"fields": {"pk": ["3"]}}]}}

    monkeypatch.setattr(es9.search_client, "search", fake_search)

    ids = es9.ranked_ids(StandardPage.objects.live(), "ældre", operator="and", limit=50)

    assert ids == [7, 3]
    assert sent["_source"] is False and sent["stored_fields"] == "pk" and sent["size"] == 50
    assert sent["index"] == "netvaerk_wagtailcore_page"
    assert sent["query"]["bool"]["must"]["multi_match"]["operator"] == "and"
    assert "live_filter" in str(sent["query"])
