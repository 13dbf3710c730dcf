"""A document attached to a members-only page is for members only from that moment on.

Not only when the page is published: a file is downloadable by its URL as soon as it is
uploaded, so a draft, an autosave or a save of a single field must lock it up too.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from members_area.models import MembersAreaPage, MembersPage
from resources.demo import tiny_pdf
from resources.services import MEMBERS_COLLECTION_NAME
from tests.factories import (
    CaseIndexPageFactory,
    CasePageFactory,
    MemberFactory,
    UserFactory,
    restrict_to_members,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(username="redaktoer", is_staff=True, is_superuser=True)


@pytest.fixture
def members_case(home_page):
    case = CasePageFactory(
        parent=CaseIndexPageFactory(parent=home_page), title="Fortrolig case", members_only=True
    )
    case.save_revision().publish()
    return case


@pytest.fixture
def new_document():
    """Uploaded in the chooser: it lands in the public Root collection."""
    return get_document_model().objects.create(
        title="Budgetnotat", file=ContentFile(tiny_pdf("fortroligt budget"), name="budget.pdf")
    )


def _assert_members_only(client, document):
    document.refresh_from_db()
    assert document.collection.name == MEMBERS_COLLECTION_NAME
    anonymous = client.get(document.url)
    assert anonymous.status_code in (302, 403)
    assert b"%PDF" not in b"".join(anonymous)
    client.force_login(UserFactory(username="tilmeldt"))  # an event registrant, not a member
    outsider = client.get(document.url)
    assert outsider.status_code in (302, 403)
    assert b"%PDF" not in b"".join(outsider)
    client.force_login(MemberFactory())
    member = client.get(document.url)
    assert member.status_code == 200
    assert b"".join(member.streaming_content).startswith(b"%PDF")


def test_document_attached_in_a_saved_draft_is_not_served_to_the_public(
    client, members_case, new_document, editor
):
    assert client.get(new_document.url).status_code == 200  # public until attached

    members_case.links = [("document", new_document)]
    members_case.save_revision(user=editor)  # "Save draft"

    assert members_case.has_unpublished_changes
    _assert_members_only(client, new_document)


def test_document_linked_in_an_autosaved_draft_is_not_served_to_the_public(
    client, members_case, new_document, editor
):
    first = members_case.save_revision(user=editor)
    members_case.challenge = (
        f'<p>Se <a linktype="document" id="{new_document.pk}">budgettet</a>.</p>'
    )
    # Autosave overwrites the editor's own latest revision instead of adding one.
    members_case.save_revision(user=editor, overwrite_revision=first)

    assert members_case.revisions.count() == 2  # the published one and the draft
    _assert_members_only(client, new_document)


def test_document_saved_into_one_field_of_a_members_only_page_is_protected(
    client, members_case, new_document
):
    members_case.links = [("document", new_document)]
    members_case.save(update_fields=["links"])

    _assert_members_only(client, new_document)


def test_draft_of_a_page_in_the_members_section_protects_its_documents(
    client, home_page, new_document, editor
):
    section = home_page.add_child(
        instance=MembersAreaPage(title="Medlemmer", slug="medlemmer", locale=home_page.locale)
    )
    page = section.add_child(
        instance=MembersPage(title="Referat", slug="referat", locale=home_page.locale)
    )
    page.save_revision().publish()
    page.body = [
        ("paragraph", f'<p><a linktype="document" id="{new_document.pk}">Referatet</a></p>')
    ]
    page.save_revision(user=editor)

    _assert_members_only(client, new_document)


def test_a_draft_of_a_public_page_leaves_its_documents_public(client, home_page, new_document):
    case = CasePageFactory(parent=CaseIndexPageFactory(parent=home_page), title="Offentlig")
    case.links = [("document", new_document)]
    case.save_revision()

    new_document.refresh_from_db()
    assert new_document.collection.name != MEMBERS_COLLECTION_NAME
    assert client.get(new_document.url).status_code == 200


def test_closing_a_section_to_members_protects_the_documents_of_its_drafts(
    client, home_page, new_document, editor
):
    bank = CaseIndexPageFactory(parent=home_page)
    case = CasePageFactory(parent=bank, title="Lukkes")
    case.links = [("document", new_document)]
    case.save_revision(user=editor)
    assert client.get(new_document.url).status_code == 200  # still a public page's draft

    restrict_to_members(bank)

    _assert_members_only(client, new_document)
