"""The embedded default serves /media/ for renditions only, path normalised first (issue 11/9)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from resources.services import members_collection

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def image():
    return Image.objects.create(title="Foto", file=ImageFile(io.BytesIO(_png()), name="foto.png"))


@pytest.fixture
def members_document():
    document = Document(title="Medlemsnotat", collection=members_collection())
    document.file.save("medlemsnotat.pdf", ContentFile(b"%PDF-1.4 fortroligt"), save=False)
    document.save()
    return document


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_renditions_are_served(client, image):
    rendition = image.get_rendition("fill-20x20")
    response = client.get(rendition.url)
    assert rendition.url.startswith("/media/images/")
    assert response.status_code == 200
    assert _body(response).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "template",
    [
        "/media/{original}",
        "/media//{original}",
        "/media/images/../{original}",
        "/media/images/%2e%2e/{original}",
        "/media/./{original}",
        "/media/images/..%2f{original}",
    ],
)
def test_original_images_are_never_served(client, image, template):
    response = client.get(template.format(original=image.file.name))
    assert response.status_code == 404
    assert not _body(response).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "template",
    ["/media/{name}", "/media//{name}", "/media/images/../{name}", "/media/images/%2e%2e/{name}"],
)
def test_documents_are_not_served_from_media(client, members_document, template):
    response = client.get(template.format(name=members_document.file.name))
    assert response.status_code == 404
    assert b"fortroligt" not in _body(response)


def test_documents_go_through_wagtails_serve_view_which_checks_the_collection(
    client, members_document
):
    response = client.get(f"/documents/{members_document.pk}/{members_document.filename}")
    assert response.status_code in (302, 403)
    assert b"fortroligt" not in _body(response)
