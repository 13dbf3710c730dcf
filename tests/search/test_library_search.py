"""Library search (cases and resources): facets and their counts, privacy of results and
counts, sorting, pagination, suggestions, and the pages that embed it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.models import CasePage
from search import services
from taxonomy.models import Actor, Theme
from tests.factories import (
    CasePageFactory,
    MemberFactory,
    ResourcePageFactory,
    UserFactory,
    restrict_to_members,
)

SECRET = "hemmeligordet"


@pytest.fixture
def themes(db):
    return {
        slug: Theme.objects.create(name=name, slug=f"test-{slug}", sort_order=90)
        for slug, name in [("klima", "Klimatilpasning"), ("aeldre", "Ældre og omsorg")]
    }


def resource(library, title, *, themes=(), **fields):
    page = ResourcePageFactory(parent=library, title=title, **fields)
    if themes:
        page.themes.set(themes)
        page.save_revision().publish()
    return page


def facet(result, key) -> dict[str, int]:
    found = [f for f in result.facets if f.key == key]
    return {value.label: value.count for value in found[0].values} if found else {}


def titles(result) -> list[str]:
    return [hit.title for hit in result.page.object_list]


@pytest.fixture
def reports(library, themes):
    resource(
        library,
        "Frivillige i ældreplejen",
        resource_type="report",
        year=2024,
        language="da",
        abstract="Frivillige besøgsvenner i kommunerne.",
        themes=[themes["aeldre"]],
    )
    resource(
        library,
        "Frivillige og klima",
        resource_type="article",
        year=2022,
        language="en",
        abstract="Frivillige planter træer.",
        themes=[themes["klima"], themes["aeldre"]],
    )
    resource(
        library,
        "Kommunal klimaplan",
        resource_type="report",
        year=2022,
        language="da",
        abstract="Regnvand og skybrud.",
        themes=[themes["klima"]],
    )


@pytest.mark.django_db
def test_resource_facets_count_the_matching_resources(reports):
    result = services.library_search(None, query="frivillige", kind="resources")

    assert sorted(titles(result)) == ["Frivillige i ældreplejen", "Frivillige og klima"]
    assert facet(result, "format") == {"Rapport": 1, "Artikel": 1}
    assert facet(result, "tema") == {"Ældre og omsorg": 2, "Klimatilpasning": 1}
    assert facet(result, "aar") == {"2024": 1, "2022": 1}
    assert facet(result, "sprog") == {"Dansk": 1, "Engelsk": 1}


@pytest.mark.django_db
def test_a_filter_narrows_results_and_other_facets_but_not_its_own(reports, themes):
    result = services.library_search(None, kind="resources", filters={"format": ["report"]})

    assert sorted(titles(result)) == ["Frivillige i ældreplejen", "Kommunal klimaplan"]
    # Its own facet still offers the alternatives (OR within a facet) ...
    assert facet(result, "format") == {"Rapport": 2, "Artikel": 1}
    # ... while the other facets count only reports (AND across facets).
    assert facet(result, "aar") == {"2024": 1, "2022": 1}
    assert facet(result, "tema") == {"Ældre og omsorg": 1, "Klimatilpasning": 1}

    both = services.library_search(
        None,
        kind="resources",
        filters={"format": ["report"], "tema": [str(themes["klima"].pk)]},
    )
    assert titles(both) == ["Kommunal klimaplan"]


@pytest.mark.django_db
def test_sort_by_date_and_pagination(reports):
    newest = services.library_search(None, kind="resources", sort="date", page_size=2)
    assert newest.total == 3
    assert titles(newest)[0] == "Frivillige i ældreplejen"  # 2024
    second = services.library_search(None, kind="resources", sort="date", page=2, page_size=2)
    assert len(titles(second)) == 1
    assert set(titles(newest)) | set(titles(second)) == {
        "Frivillige i ældreplejen",
        "Frivillige og klima",
        "Kommunal klimaplan",
    }


@pytest.mark.django_db
def test_snippets_are_highlighted_and_escaped(library):
    resource(library, "Madfællesskaber", abstract="Fællesspisning <script>x</script> for ældre")

    hit = services.library_search(None, query="ældre", kind="resources").hits[0]

    assert "<mark>ældre</mark>" in hit.snippet
    assert "<script>" not in hit.snippet


# --- Privacy --------------------------------------------------------------------------------


@pytest.fixture
def members_only_resource(library, themes):
    return resource(
        library,
        "Netværkets evaluering",
        resource_type="report",
        year=2025,
        abstract="Hvad lærte kommunerne?",
        body=f"<p>Fortrolige tal: {SECRET} budget.</p>",
        members_only=True,
        themes=[themes["klima"]],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "non-member", "member"])
def test_the_public_never_matches_members_only_full_text(
    library, themes, members_only_resource, who
):
    # A public article that mentions the same word: the public finds this one, and only this.
    resource(
        library,
        "Åbne tal",
        resource_type="article",
        year=2023,
        language="en",
        abstract="Kommunernes regnskaber.",
        body=f"<p>Også {SECRET} her.</p>",
        themes=[themes["aeldre"]],
    )
    user = {"anonymous": AnonymousUser, "non-member": UserFactory, "member": MemberFactory}[who]()

    result = services.library_search(user, query=SECRET, kind="resources")

    if who == "member":
        assert sorted(titles(result)) == ["Netværkets evaluering", "Åbne tal"]
        assert facet(result, "format") == {"Rapport": 1, "Artikel": 1}
        assert facet(result, "tema") == {"Klimatilpasning": 1, "Ældre og omsorg": 1}
        assert facet(result, "aar") == {"2025": 1, "2023": 1}
        assert facet(result, "sprog") == {"Dansk": 1, "Engelsk": 1}
        assert services.site_search(user, SECRET).total == 2
    else:
        assert titles(result) == ["Åbne tal"]
        assert facet(result, "format") == {"Artikel": 1}
        assert facet(result, "tema") == {"Ældre og omsorg": 1}
        assert facet(result, "aar") == {"2023": 1}
        assert facet(result, "sprog") == {"Engelsk": 1}
        assert [hit.title for hit in services.site_search(user, SECRET).page.object_list] == [
            "Åbne tal"
        ]


@pytest.mark.django_db
def test_the_public_finds_a_members_only_resource_by_its_teaser(members_only_resource):
    result = services.library_search(None, query="evaluering", kind="resources")

    [hit] = result.hits
    assert hit.title == "Netværkets evaluering"
    assert hit.teaser_only
    assert SECRET not in hit.snippet and "budget" not in hit.snippet
    assert facet(result, "format") == {"Rapport": 1}


@pytest.mark.django_db
def test_a_member_finds_members_only_full_text(members_only_resource):
    member = MemberFactory()

    result = services.library_search(member, query=SECRET, kind="resources")

    [hit] = result.hits
    assert not hit.teaser_only
    assert f"<mark>{SECRET}</mark>" in hit.snippet
    assert facet(result, "format") == {"Rapport": 1}
    assert services.site_search(member, SECRET).total == 1


@pytest.mark.django_db
def test_restricted_pages_are_neither_listed_nor_counted(library, themes):
    resource(library, "Åben rapport", resource_type="report", themes=[themes["klima"]])
    hidden = resource(library, "Lukket rapport", resource_type="book", themes=[themes["klima"]])
    restrict_to_members(hidden)

    for query in ("", "rapport"):
        public = services.library_search(None, query=query, kind="resources")
        assert titles(public) == ["Åben rapport"]
        assert facet(public, "format") == {"Rapport": 1}
        assert facet(public, "tema") == {"Klimatilpasning": 1}
    member = services.library_search(MemberFactory(), query="rapport", kind="resources")
    assert facet(member, "format") == {"Rapport": 1, "Bog": 1}


# --- Cases ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_facets_stage_scope_country_municipality_and_actors(case_bank, themes):
    volunteers = Actor.objects.create(name="Frivillige", slug="test-frivillige")
    companies = Actor.objects.create(name="Virksomheder", slug="test-virksomheder")
    local = CasePageFactory(
        parent=case_bank,
        title="Cykelværksted i Vejle",
        stage=CasePage.Stage.PILOT,
        municipality="Vejle",
    )
    local.actors.set([volunteers])
    local.save_revision().publish()
    abroad = CasePageFactory(
        parent=case_bank,
        title="Cykelbibliotek i Malmø",
        stage=CasePage.Stage.SCALED,
        scope=CasePage.Scope.INTERNATIONAL,
        country="Sverige",
        municipality="",
    )
    abroad.actors.set([volunteers, companies])
    abroad.save_revision().publish()

    result = services.library_search(None, kind="cases")

    assert facet(result, "fase") == {"Pilotprojekt": 1, "Skaleret": 1}
    assert facet(result, "omfang") == {"Dansk": 1, "International": 1}
    assert facet(result, "land") == {"Danmark": 1, "Sverige": 1}
    assert facet(result, "kommune") == {"Vejle": 1}
    assert facet(result, "aktoerer") == {"Frivillige": 2, "Virksomheder": 1}

    abroad_only = services.library_search(None, kind="cases", filters={"omfang": ["international"]})
    assert titles(abroad_only) == ["Cykelbibliotek i Malmø"]


@pytest.mark.django_db
def test_both_kinds_with_a_kind_facet(case_bank, library):
    CasePageFactory(parent=case_bank, title="Ældre hjælper ældre")
    resource(library, "Ældre i bevægelse")

    result = services.library_search(None, query="ældre")

    assert sorted(titles(result)) == ["Ældre hjælper ældre", "Ældre i bevægelse"]
    assert facet(result, "type") == {"Cases": 1, "Ressourcer": 1}
    only_cases = services.library_search(None, query="ældre", filters={"type": ["cases"]})
    assert titles(only_cases) == ["Ældre hjælper ældre"]
    assert facet(only_cases, "type") == {"Cases": 1, "Ressourcer": 1}


# --- No results -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_results_suggests_dropping_filters_similar_titles_and_themes(reports):
    filtered = services.library_search(
        None, query="frivillige", kind="resources", filters={"sprog": ["de"]}
    )
    assert filtered.total == 0
    assert filtered.suggestions.without_filters_count == 2

    misspelt = services.library_search(None, query="frivilig", kind="resources")
    assert misspelt.total == 0
    assert "Frivillige i ældreplejen" in misspelt.suggestions.similar_titles
    assert {t.label for t in misspelt.suggestions.popular_themes} >= {"Klimatilpasning"}


# --- Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_library_page_renders_facets_as_a_plain_get_form(client, library, reports):
    response = client.get(library.url, {"q": "frivillige", "format": "report"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="checkbox" name="format" value="report"' in html
    assert re.search(r'name="format" value="report" id="facet-format-\d+" checked', html)
    assert not re.search(r'name="format" value="article" id="facet-format-\d+" checked', html)
    assert "Frivillige i ældreplejen" in html
    assert "Frivillige og klima" not in html


@pytest.mark.django_db
def test_library_search_view_and_case_bank_page(client, case_bank, library, reports):
    CasePageFactory(parent=case_bank, title="Frivillige cykelsmede")

    both = client.get("/soeg/bibliotek/", {"q": "frivillige"}).content.decode()
    assert "Frivillige cykelsmede" in both and "Frivillige og klima" in both
    cases_only = client.get(case_bank.url, {"q": "frivillige"}).content.decode()
    assert "Frivillige cykelsmede" in cases_only and "Frivillige og klima" not in cases_only
