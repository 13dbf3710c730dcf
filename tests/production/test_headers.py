"""Security headers on every response, including ones served from the page cache (issue 11/6)."""

from __future__ import annotations

import pytest

from tests.factories import StandardPageFactory, UserFactory, make_member, restrict_to_members

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_a_page_served_from_the_anonymous_cache_keeps_its_security_headers(client, home_page):
    first = client.get("/")
    again = client.get("/")

    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    for response in (first, again):
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/", "/medlemmer/log-ind/", "/findes-ikke/", "/admin/login/"])
def test_every_response_has_a_permissions_policy(client, home_page, path):
    response = client.get(path)
    policy = response["Permissions-Policy"]
    assert "geolocation=()" in policy and "microphone=()" in policy


def test_members_pages_are_private_and_never_stored(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Kun for medlemmer", slug="kun-medlemmer")
    restrict_to_members(page)
    client.force_login(make_member())

    for path in (page.url, "/medlemmer/", "/"):
        response = client.get(path)
        assert response.status_code == 200, path
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (path, directives)
        assert "public" not in directives


def test_anonymous_public_pages_stay_cacheable(client, home_page):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_admin_keeps_sameorigin_for_previews(client, home_page):
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))
    response = client.get("/admin/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "no-store" in response["Cache-Control"]
