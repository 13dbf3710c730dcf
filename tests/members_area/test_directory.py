"""The public list of member municipalities: built from the organisations, never by hand."""

import datetime

import pytest
from django.utils import timezone

from members_area.models import MemberOrganisation
from tests.factories import (
    MemberDirectoryPageFactory,
    MemberOrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(home_page):
    return MemberDirectoryPageFactory(parent=home_page, national_population=6_000_000)


def _html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_lists_active_municipalities_with_region_and_website(client, directory):
    MemberOrganisationFactory(
        name="Vejle Kommune", region="syddanmark", website="https://www.vejle.dk/"
    )
    MemberOrganisationFactory(name="Aarhus Kommune", region="midtjylland")

    html = _html(client, directory)

    assert html.index("Aarhus Kommune") < html.index("Vejle Kommune")  # by name
    assert 'href="https://www.vejle.dk/"' in html
    assert "Region Syddanmark" in html
    assert '<dd class="member-stats__figure">2</dd>' in html


def test_joining_and_leaving_updates_the_list_by_itself(client, directory, settings):
    settings.PAGE_CACHE_SECONDS = 300  # the anonymous page cache must not keep the old list
    odense = MemberOrganisationFactory(name="Odense Kommune")
    assert "Odense Kommune" in _html(client, directory)

    odense.status = MemberOrganisation.Status.ENDED
    odense.save()
    assert "Odense Kommune" not in _html(client, directory)

    MemberOrganisationFactory(name="Horsens Kommune")
    assert "Horsens Kommune" in _html(client, directory)


def test_members_not_yet_joined_paused_or_past_their_end_date_are_not_listed(client, directory):
    today = timezone.localdate()
    MemberOrganisationFactory(name="Fremtid Kommune", member_since=today + datetime.timedelta(1))
    MemberOrganisationFactory(name="Pause Kommune", status=MemberOrganisation.Status.PAUSED)
    MemberOrganisationFactory(name="Udmeldt Kommune", member_until=today - datetime.timedelta(1))
    MemberOrganisationFactory(name="Sidste Dag Kommune", member_until=today)

    html = _html(client, directory)

    assert "Fremtid Kommune" not in html
    assert "Pause Kommune" not in html
    assert "Udmeldt Kommune" not in html
    assert "Sidste Dag Kommune" in html


def test_share_of_population_appears_once_editors_enter_populations(client, directory):
    aarhus = MemberOrganisationFactory(name="Aarhus Kommune")
    odense = MemberOrganisationFactory(name="Odense Kommune")
    assert "Andel af Danmarks befolkning" not in _html(client, directory)

    aarhus.population = 900_000
    aarhus.save()
    html = _html(client, directory)
    assert "15 %" in html  # 900,000 of 6,000,000
    assert "indbyggertal for 1 af 2 kommuner" in html

    odense.population = 300_000
    odense.save()
    html = _html(client, directory)
    assert "20 %" in html
    assert "1.200.000 af 6.000.000 indbyggere" in html
    assert "indbyggertal for" not in html
    assert "Danmarks Statistik, FOLK1A" in html  # the source of the national figure


def test_other_kinds_of_member_are_listed_apart_and_not_counted(client, directory):
    MemberOrganisationFactory(name="Aarhus Kommune")
    MemberOrganisationFactory(name="Region Midtjylland", kind=MemberOrganisation.Kind.REGION)

    html = _html(client, directory)

    assert "Andre medlemmer" in html
    assert '<dd class="member-stats__figure">1</dd>' in html


def test_contact_person_is_public_only_where_the_municipality_agreed(client, directory):
    person = UserFactory(first_name="Karen", last_name="Kontakt")
    vejle = MemberOrganisationFactory(
        name="Vejle Kommune",
        contact_person=person,
        contact_email="karen@vejle.example",
        contact_phone="+45 11 22 33 44",
    )
    html = _html(client, directory)
    assert "Karen Kontakt" not in html
    assert "karen@vejle.example" not in html
    assert "11 22 33 44" not in html

    vejle.publish_contact = True
    vejle.save()
    html = _html(client, directory)
    assert "Karen Kontakt" in html
    assert 'href="mailto:karen@vejle.example"' in html


def test_demo_has_the_directory_in_both_languages(client, home_page):
    from home.demo import load_demo_content

    load_demo_content()
    danish = client.get("/medlemskab/medlemskommuner/")
    english = client.get("/en/membership/member-municipalities/")

    assert danish.status_code == 200 and english.status_code == 200
    assert "Vejle Kommune" in danish.content.decode()
    assert "Statistics Denmark" in english.content.decode()
    # The footer links the list in the visitor's language.
    assert 'href="/en/membership/member-municipalities/"' in english.content.decode()
