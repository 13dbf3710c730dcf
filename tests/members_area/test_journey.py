"""Browser journey of a member: invitation e-mail -> set password -> log in -> forum post ->
library search -> a members-only resource and its document -> log out."""

import re

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from forum.models import Category
from members_area.services import invite_member
from resources.demo import tiny_pdf
from tests.browser_support import assert_accessible
from tests.factories import LibraryPageFactory, MemberOrganisationFactory, ResourcePageFactory
from tests.smtp import smtp_server, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENT_TEXT = "Skabelon til samarbejdsaftale - kun for medlemmer"


@pytest.fixture
def smtp(settings, live_server):
    """A real SMTP server for the whole journey: the forum also mails thread followers."""
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (handler, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield handler


def test_invited_member_posts_searches_and_downloads_a_members_only_document(
    page, live_server, smtp
):
    from home.demo import ensure_home_page

    home = ensure_home_page()
    Category.objects.create(name="Partnerskaber", slug="partnerskaber")
    ResourcePageFactory(
        parent=LibraryPageFactory(parent=home),
        title="Skabelon til samarbejdsaftaler",
        abstract="Aftaleskabelon til partnerskaber mellem kommune og forening.",
        members_only=True,
        document=get_document_model().objects.create(
            title="Samarbejdsaftale",
            file=ContentFile(tiny_pdf(DOCUMENT_TEXT), name="samarbejdsaftale.pdf"),
        ),
    )
    invite_member(
        email="nina@holstebro.dk", organisation=MemberOrganisationFactory(), first_name="Nina"
    )
    assert len(smtp.messages) == 1
    link = re.search(r"http://\S+", text_of(smtp.messages[0])).group(0)

    page.goto(link)
    assert_accessible(page, "member-1-invitation")
    page.get_by_label("Efternavn").fill("Nielsen")
    page.get_by_label("Vælg en adgangskode").fill("holstebro-innovation-26")
    page.get_by_label("Gentag adgangskoden").fill("holstebro-innovation-26")
    page.get_by_role("button", name="Opret konto").click()
    page.wait_for_url("**/medlemmer/")
    page.get_by_role("button", name="Log ud").click()

    page.goto(live_server.url + "/medlemmer/log-ind/")
    assert_accessible(page, "member-2-login")
    page.get_by_label("E-mail").fill("nina@holstebro.dk")
    page.get_by_label("Adgangskode").fill("holstebro-innovation-26")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/medlemmer/")
    assert "Velkommen, Nina" in page.locator("h1").inner_text()
    assert_accessible(page, "member-3-dashboard")

    page.get_by_role("link", name="Forum").first.click()
    assert_accessible(page, "member-4-forum")
    page.get_by_role("link", name="Partnerskaber").click()
    assert_accessible(page, "member-5-forum-category")
    page.get_by_role("link", name="Start en ny tråd").click()
    assert_accessible(page, "member-6-new-thread")
    page.get_by_label("Overskrift").fill("Erfaringer med samarbejdsaftaler")
    page.get_by_label("Dit indlæg").fill("Vi har gode erfaringer med **faste kontaktpersoner**.")
    page.get_by_role("button", name="Opret tråd").click()
    assert page.locator("strong", has_text="faste kontaktpersoner").is_visible()
    assert_accessible(page, "member-7-forum-post")

    page.goto(live_server.url + "/soeg/bibliotek/")
    page.get_by_label("Søgeord").fill("samarbejdsaftaler")
    page.get_by_role("button", name="Søg", exact=True).click()
    results = page.locator(".library-search__results")
    assert "Skabelon til samarbejdsaftaler" in results.inner_text()
    assert_accessible(page, "member-8-library-search")
    results.get_by_role("link", name="Skabelon til samarbejdsaftaler").click()
    page.wait_for_url("**/bibliotek/skabelon-til-samarbejdsaftaler/")
    download = page.get_by_role("link", name=re.compile("^Hent Samarbejdsaftale"))
    assert_accessible(page, "member-9-members-only-resource")

    document_url = download.get_attribute("href")
    as_member = page.request.get(live_server.url + document_url)
    assert as_member.status == 200
    assert as_member.headers["content-type"] == "application/pdf"
    assert "private" in as_member.headers["cache-control"]
    assert DOCUMENT_TEXT.encode() in as_member.body()

    page.get_by_role("button", name="Log ud").click()
    page.goto(live_server.url + "/medlemmer/forum/")
    assert "/medlemmer/log-ind/" in page.url
    refused = page.request.get(live_server.url + document_url, max_redirects=0)
    assert refused.status in (302, 403)
    assert DOCUMENT_TEXT.encode() not in refused.body()
