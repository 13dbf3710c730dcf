"""Browser journey: invitation e-mail -> set password -> log in -> forum post -> log out."""

import re

import pytest

from forum.models import Category
from members_area.services import invite_member
from tests.factories import MemberOrganisationFactory
from tests.smtp import smtp_server, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invited_member_sets_password_logs_in_and_posts(page, live_server, settings, artefacts_dir):
    from home.demo import ensure_home_page

    ensure_home_page()
    Category.objects.create(name="Partnerskaber", slug="partnerskaber")
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (smtp, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        invite_member(
            email="nina@holstebro.dk", organisation=MemberOrganisationFactory(), first_name="Nina"
        )
        assert len(smtp.messages) == 1
    link = re.search(r"http://\S+", text_of(smtp.messages[0])).group(0)

    page.goto(link)
    page.get_by_label("Efternavn").fill("Nielsen")
    page.get_by_label("Vælg en adgangskode").fill("holstebro-innovation-26")
    page.get_by_label("Gentag adgangskoden").fill("holstebro-innovation-26")
    page.get_by_role("button", name="Opret konto").click()
    page.wait_for_url("**/medlemmer/")
    page.get_by_role("button", name="Log ud").click()

    page.goto(live_server.url + "/medlemmer/log-ind/")
    page.get_by_label("E-mail").fill("nina@holstebro.dk")
    page.get_by_label("Adgangskode").fill("holstebro-innovation-26")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/medlemmer/")
    assert "Velkommen, Nina" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Forum").first.click()
    page.get_by_role("link", name="Partnerskaber").click()
    page.get_by_role("link", name="Start en ny tråd").click()
    page.get_by_label("Overskrift").fill("Erfaringer med samarbejdsaftaler")
    page.get_by_label("Dit indlæg").fill("Vi har gode erfaringer med **faste kontaktpersoner**.")
    page.get_by_role("button", name="Opret tråd").click()
    assert page.locator("strong", has_text="faste kontaktpersoner").is_visible()
    page.screenshot(path=str(artefacts_dir / "member-forum-post.png"), full_page=True)

    page.get_by_role("button", name="Log ud").click()
    page.goto(live_server.url + "/medlemmer/forum/")
    assert "/medlemmer/log-ind/" in page.url
