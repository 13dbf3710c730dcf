"""The case bank's filters never tell the public what only members may read.

A members-only case shows everyone its teaser: title, summary, themes, stage and place. Its
partners (the actor types) are members' content, so for anyone outside the Members group the
actor filter counts and finds public cases only, while the teaser filters still count it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser

from cases.models import CasePage
from search import services
from taxonomy.models import Actor
from tests.factories import CaseIndexPageFactory, CasePageFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

READERS = ["anonymous", "non-member", "member"]


@pytest.fixture
def actors(db):
    return {
        "frivillige": Actor.objects.create(name="Frivillige", slug="test-frivillige"),
        "virksomheder": Actor.objects.create(name="Virksomheder", slug="test-virksomheder"),
    }


@pytest.fixture
def case_bank(home_page, actors):
    bank = CaseIndexPageFactory(parent=home_page)
    public = CasePageFactory(
        parent=bank,
        title="Cykelværksted i Vejle",
        stage=CasePage.Stage.RUNNING,
        municipality="Vejle",
    )
    public.actors.set([actors["frivillige"]])
    public.save_revision().publish()
    secret = CasePageFactory(
        parent=bank,
        title="Plejeplan i Odense",
        stage=CasePage.Stage.PILOT,
        municipality="Odense",
        members_only=True,
    )
    secret.actors.set([actors["frivillige"], actors["virksomheder"]])
    secret.save_revision().publish()
    return bank


def reader(who):
    return {
        "anonymous": AnonymousUser,
        "non-member": UserFactory,
        "member": MemberFactory,
    }[who]()


def facet(result, key) -> dict[str, int]:
    found = [f for f in result.facets if f.key == key]
    return {value.label: value.count for value in found[0].values} if found else {}


def titles(result) -> list[str]:
    return sorted(hit.title for hit in result.hits)


@pytest.mark.parametrize("who", READERS)
def test_actor_counts_include_members_only_cases_for_members_only(case_bank, who):
    result = services.library_search(reader(who), kind="cases")

    assert titles(result) == ["Cykelværksted i Vejle", "Plejeplan i Odense"]
    if who == "member":
        assert facet(result, "aktoerer") == {"Frivillige": 2, "Virksomheder": 1}
    else:
        assert facet(result, "aktoerer") == {"Frivillige": 1}
    # Stage and place are on every case's public teaser: counted for everyone.
    assert facet(result, "fase") == {"I drift": 1, "Pilotprojekt": 1}
    assert facet(result, "kommune") == {"Vejle": 1, "Odense": 1}
    assert facet(result, "land") == {"Danmark": 2}


@pytest.mark.parametrize("who", READERS)
def test_filtering_by_actor_finds_members_only_cases_for_members_only(case_bank, actors, who):
    user = reader(who)

    companies = services.library_search(
        user, kind="cases", filters={"aktoerer": [str(actors["virksomheder"].pk)]}
    )
    volunteers = services.library_search(
        user, kind="cases", filters={"aktoerer": [str(actors["frivillige"].pk)]}
    )

    if who == "member":
        assert titles(companies) == ["Plejeplan i Odense"]
        assert titles(volunteers) == ["Cykelværksted i Vejle", "Plejeplan i Odense"]
        assert facet(volunteers, "fase") == {"I drift": 1, "Pilotprojekt": 1}
    else:
        assert titles(companies) == []
        assert titles(volunteers) == ["Cykelværksted i Vejle"]
        # The other facets count under the actor filter, so they must not reveal it either.
        assert facet(volunteers, "fase") == {"I drift": 1}
        assert facet(volunteers, "kommune") == {"Vejle": 1}


@pytest.mark.parametrize("who", READERS)
def test_a_teaser_filter_still_finds_members_only_cases(case_bank, who):
    result = services.library_search(reader(who), kind="cases", filters={"fase": ["pilot"]})

    assert titles(result) == ["Plejeplan i Odense"]
    expected = {"Frivillige": 1, "Virksomheder": 1} if who == "member" else {}
    assert facet(result, "aktoerer") == expected


@pytest.mark.parametrize("who", READERS)
def test_the_case_bank_page_answers_an_actor_query_by_who_asks(client, case_bank, actors, who):
    if who != "anonymous":
        client.force_login(reader(who))

    response = client.get(case_bank.url, {"aktoerer": actors["virksomheder"].pk})

    html = response.content.decode()
    assert response.status_code == 200
    found = re.search(r'id="library-results-heading"[^>]*>\s*(\d+) resultat', html)
    if who == "member":
        assert found.group(1) == "1"
        assert "Plejeplan i Odense" in html
    else:
        assert found.group(1) == "0"
        assert "Plejeplan i Odense" not in html
