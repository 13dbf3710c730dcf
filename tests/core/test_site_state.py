"""Per-process site lookups (core.site_state): fewer queries, never stale after an edit."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from core import page_cache
from home.models import SiteSettings
from tests.factories import NewsIndexPageFactory, NewsPageFactory, restrict_to_members

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, len(captured)


def _assert_gone_or_redirected(client, old_url, new_url):
    """The old address no longer serves the page itself (Wagtail may leave a redirect)."""
    response = client.get(old_url)
    if response.status_code == 301:
        assert response["Location"] == new_url
    else:
        assert response.status_code == 404


@pytest.fixture
def post(home_page):
    index = NewsIndexPageFactory(parent=home_page)
    return NewsPageFactory(parent=index, title="Ny viden om frivillighed", slug="frivillighed")


def test_a_page_routes_and_renders_in_few_queries_once_the_worker_knows_the_site(client, post):
    first = _queries(client, post.url)
    second = _queries(client, post.url)
    assert first[0] == second[0] == 200
    # Site match, locale, site root, generic page and settings come from the snapshot.
    assert second[1] <= first[1] - 4, (first, second)


def test_without_the_site_generation_pages_are_still_served_fresh(client, post):
    client.get(post.url)
    with mock.patch.object(page_cache, "site_generation", return_value=None):
        post.title = "Frivillighed, opdateret"
        post.save_revision().publish()
        response = client.get(post.url)
    assert response.status_code == 200
    assert "Frivillighed, opdateret" in response.content.decode()


def test_an_unpublished_page_is_gone_at_once(client, post):
    assert client.get(post.url).status_code == 200
    post.unpublish()
    assert client.get(post.url).status_code == 404


def test_a_moved_page_answers_at_its_new_address_only(client, home_page, post):
    old_url = post.url
    assert client.get(old_url).status_code == 200
    other = NewsIndexPageFactory(parent=home_page, title="Arkiv", slug="arkiv")
    post.move(other, pos="last-child")
    post.refresh_from_db()
    _assert_gone_or_redirected(client, old_url, post.url)
    assert client.get(post.url).status_code == 200


def test_a_page_made_members_only_is_not_served_from_what_the_worker_knew(client, post):
    assert client.get(post.url).status_code == 200
    restrict_to_members(post)
    response = client.get(post.url)
    assert response.status_code != 200
    assert "Ny viden om frivillighed" not in response.content.decode()


def test_site_settings_edits_show_on_the_next_request(client, post):
    client.get(post.url)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.organisation_name = "Kommunernes Innovationsnetværk"
    site_settings.save()
    assert "Kommunernes Innovationsnetværk" in client.get(post.url).content.decode()


def test_a_page_found_before_is_looked_up_again_when_its_address_changes(client, post):
    client.get(post.url)
    old_url = post.url
    post.slug = "frivillighed-2026"
    post.save_revision().publish()
    post.refresh_from_db()
    assert client.get(post.url).status_code == 200
    _assert_gone_or_redirected(client, old_url, post.url)
