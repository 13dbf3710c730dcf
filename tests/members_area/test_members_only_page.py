"""Signed-in accounts without access get a clear "members only" page, never a redirect loop
(issue 11 item 11); a session short of its second factor gets no restricted documents (item 14).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from members_area.services import revoke_membership
from resources.services import members_collection
from tests.factories import (
    StandardPageFactory,
    UserFactory,
    make_member,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_page(home_page):
    page = StandardPageFactory(parent=home_page, title="Referat for medlemmer", slug="referat")
    restrict_to_members(page)
    return page


@pytest.fixture
def members_document():
    document = Document(title="Medlemsnotat", collection=members_collection())
    document.file.save("medlemsnotat.pdf", ContentFile(b"%PDF-1.4 fortroligt"), save=False)
    document.save()
    return document


def _doc_url(document) -> str:
    return f"/documents/{document.pk}/{document.filename}"


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _assert_members_only_page(response):
    assert response.status_code == 403
    html = response.content.decode()
    assert "Kun for medlemmer" in html
    assert "kontakt sekretariatet" in html
    assert "no-store" in response["Cache-Control"]


def test_event_registrant_account_sees_members_only_page_not_a_login_loop(
    client, members_page, members_document
):
    client.force_login(UserFactory(username="tilmeldt@example.dk"))

    page = client.get(members_page.url)
    _assert_members_only_page(page)
    assert "Referat for medlemmer" not in page.content.decode()

    document = client.get(_doc_url(members_document))
    _assert_members_only_page(document)
    assert b"fortroligt" not in _body(document)


def test_member_whose_organisation_ended_sees_members_only_page(
    client, members_page, members_document
):
    member = make_member(username="tidligere@example.dk")
    client.force_login(member)
    assert client.get(members_page.url).status_code == 200

    revoke_membership(member)
    _assert_members_only_page(client.get(members_page.url))
    _assert_members_only_page(client.get(_doc_url(members_document)))


def test_anonymous_visitors_are_still_sent_to_log_in(client, members_page, members_document):
    page = client.get(members_page.url)
    assert page.status_code == 302 and "/medlemmer/log-ind/" in page["Location"]
    document = client.get(_doc_url(members_document))
    assert document.status_code == 302 and b"fortroligt" not in _body(document)


def test_members_still_get_pages_and_documents(client, members_page, members_document):
    client.force_login(make_member())
    assert client.get(members_page.url).status_code == 200
    assert _body(client.get(_doc_url(members_document))) == b"%PDF-1.4 fortroligt"


def test_editor_without_second_factor_gets_no_restricted_document(
    client, settings, members_page, members_document
):
    settings.ADMIN_2FA_REQUIRED = True
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))

    document = client.get(_doc_url(members_document))
    assert document.status_code == 302
    assert document["Location"].startswith("/admin/2fa/verify/")
    assert b"fortroligt" not in _body(document)
    page = client.get(members_page.url)
    assert page.status_code == 302 and page["Location"].startswith("/admin/2fa/verify/")
