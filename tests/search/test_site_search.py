"""Site-wide search and autocomplete on the database backend (the embedded default)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from wagtail.models import PageViewRestriction

from home.models import StandardPage
from members_area.access import members_group
from search import services


def add_page(parent, title, intro=""):
    return parent.add_child(instance=StandardPage(title=title, intro=intro))


@pytest.fixture
def members_section(home_page):
    section = add_page(home_page, "Medlemsområde")
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members_group())
    return section


@pytest.fixture
def member(db):
    user = User.objects.create_user("medlem", password="x" * 12)
    user.groups.add(members_group())
    return user


@pytest.mark.django_db
def test_site_search_finds_pages_and_highlights_safely(client, home_page):
    add_page(home_page, "Frivillige i ældreplejen", "Frivillige <b>hjælper</b> på plejecentre")
    add_page(home_page, "Om netværket", "Kommuner samarbejder")

    response = client.get("/soeg/", {"q": "frivillige"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Frivillige i ældreplejen" in html
    assert "Om netværket" not in html
    assert "<mark>Frivillige</mark> hjælper" in html and "<b>hjælper" not in html


@pytest.mark.django_db
def test_members_section_is_searchable_by_members_only(client, home_page, members_section, member):
    add_page(members_section, "Referat fra netværksmødet", "Fortroligt budget")

    anonymous = services.site_search(None, "budget")
    assert anonymous.total == 0
    assert services.site_search(member, "budget").total == 1
    # Statements are compiled once per reader's visibility, never shared between readers.
    assert services.site_search(None, "budget").total == 0
    assert services.autocomplete(None, "Refer") == []
    assert [i["title"] for i in services.autocomplete(member, "Refer")] == [
        "Referat fra netværksmødet"
    ]
    response = client.get("/soeg/autocomplete/", {"q": "Refer"})
    assert response.json() == {"results": []}
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["smø", "Smør", "køben", "ÆLD", "åbe"])
def test_autocomplete_finds_danish_letter_prefixes(client, home_page, prefix):
    add_page(home_page, "Smørrebrød i København")
    add_page(home_page, "Ældrepleje på Ærø")
    add_page(home_page, "Åben skole")

    titles = [
        item["title"] for item in client.get("/soeg/autocomplete/", {"q": prefix}).json()["results"]
    ]

    assert len(titles) == 1
    assert titles[0].lower().startswith(prefix.lower()) or f" {prefix.lower()}" in titles[0].lower()


@pytest.mark.django_db
def test_search_is_rate_limited(client, home_page, rate_limits):
    rate_limits(search={"ip": "2/h"})
    assert client.get("/soeg/", {"q": "a"}).status_code == 200
    assert client.get("/soeg/", {"q": "b"}).status_code == 200
    assert client.get("/soeg/", {"q": "c"}).status_code == 429


@pytest.mark.django_db
def test_hit_urls_are_the_pages_own(home_page):
    section = add_page(home_page, "Ældre på Ærø", "Frivillige besøger ældre")
    below = section.add_child(
        instance=StandardPage(title="Besøgsvenner", slug="besøgsvenner-i-æbelø", intro="Frivillige")
    )

    hits = services.site_search(None, "frivillige").page.object_list

    assert {hit.title: hit.url for hit in hits} == {
        "Ældre på Ærø": section.get_url(),
        "Besøgsvenner": below.get_url(),
    }
    assert below.get_url().endswith(
        "/bes%C3%B8gsvenner-i-%C3%A6bel%C3%B8/"
    )  # quoted as reverse() does


def test_hits_of_the_sites_page_types_need_no_page_objects_for_their_urls():
    """``BasePage`` only computes Wagtail's URLs faster: search may build them from the
    ``url_path`` it reads (a type with its own URL scheme would need its page object)."""
    from cases.models import CasePage
    from events.models import EventPage
    from home.models import NewsPage, StandardPage
    from resources.models import ResourcePage
    from search.services.hits import _wagtails_urls

    for model in (CasePage, EventPage, NewsPage, StandardPage, ResourcePage):
        assert _wagtails_urls(model), model

    class OwnScheme(StandardPage):
        class Meta:
            abstract = True

        def get_url_parts(self, request=None):
            return None

    assert not _wagtails_urls(OwnScheme)
