import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from resources.demo import tiny_pdf
from resources.models import LibraryPage, ResourcePage
from resources.services import MEMBERS_COLLECTION_NAME
from tests.factories import MemberFactory, ResourcePageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_document(library):
    document = get_document_model().objects.create(
        title="Partnerskabsguide", file=ContentFile(tiny_pdf("guide"), name="guide.pdf")
    )
    ResourcePageFactory(parent=library, title="Guide", members_only=True, document=document)
    document.refresh_from_db()
    return document


def test_resources_live_only_in_the_library():
    assert ResourcePage.can_create_at(LibraryPage())
    assert not ResourcePage.can_create_at(ResourcePage())


def test_file_of_a_members_only_resource_moves_to_the_members_collection(members_document):
    assert members_document.collection.name == MEMBERS_COLLECTION_NAME
    assert members_document.collection.get_view_restrictions().exists()


def test_public_and_non_members_cannot_download_members_documents(client, members_document):
    anonymous = client.get(members_document.url)
    assert anonymous.status_code == 302 and b"%PDF" not in b"".join(anonymous)
    client.force_login(UserFactory())
    non_member = client.get(members_document.url)
    assert non_member.status_code in (302, 403) and b"%PDF" not in b"".join(non_member)


def test_member_downloads_the_document_privately(client, members_document):
    client.force_login(MemberFactory())
    response = client.get(members_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "private" in response["Cache-Control"]


def test_teaser_for_public_and_download_for_members(client, library, members_document):
    page = ResourcePage.objects.get(title="Guide")
    html = client.get(page.url).content.decode()
    assert "Log ind som medlem" in html and members_document.url not in html
    client.force_login(MemberFactory())
    assert members_document.url in client.get(page.url).content.decode()


def test_website_link_needs_an_address(library):
    from django.core.exceptions import ValidationError

    resource = ResourcePage(title="Portal", slug="portal", resource_type="link", abstract="x")
    with pytest.raises(ValidationError):
        resource.full_clean()


def test_theme_links_point_to_the_library(client, library):
    from taxonomy.models import Theme

    theme = Theme.objects.create(name="Tema", slug="tema-1")
    resource = ResourcePageFactory(parent=library, slug="med-tema")
    resource.themes.set([theme])
    resource.save_revision().publish()

    html = client.get(resource.url).content.decode()
    assert f'href="{library.url}?tema=tema-1">Tema</a>' in html
