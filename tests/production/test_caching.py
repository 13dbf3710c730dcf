"""Members' material never ends up in a shared cache (proxy, CDN, page cache)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from resources.services import members_collection
from tests.factories import StandardPageFactory, make_member, restrict_to_members

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def members_document():
    document = Document(title="Medlemsnotat", collection=members_collection())
    document.file.save("medlemsnotat.pdf", ContentFile(b"%PDF-1.4 fortroligt"), save=False)
    document.save()
    return document


def _doc_url(document) -> str:
    return f"/documents/{document.pk}/{document.filename}"


def test_members_document_download_is_private_and_never_page_cached(client, members_document):
    client.force_login(make_member())

    response = client.get(_doc_url(members_document))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "X-Page-Cache" not in response


def test_anonymous_request_for_members_document_gets_no_file(client, members_document):
    response = client.get(_doc_url(members_document))

    assert response.status_code in (302, 403)
    assert b"fortroligt" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_members_page_is_private_for_the_member_and_not_cached_for_later_visitors(
    client, home_page
):
    page = StandardPageFactory(parent=home_page, title="Kun for medlemmer", slug="kun-medlemmer")
    restrict_to_members(page)
    client.force_login(make_member())

    member_view = client.get(page.url)
    assert member_view.status_code == 200
    assert "private" in member_view["Cache-Control"]

    client.logout()
    anonymous = client.get(page.url)
    assert anonymous.status_code == 302
    assert b"Kun for medlemmer" not in anonymous.content


def test_public_page_is_shared_cacheable_for_anonymous_visitors(client, home_page):
    first = client.get("/")
    second = client.get("/")

    assert "private" not in first.get("Cache-Control", "")
    assert second["X-Page-Cache"] == "hit"
