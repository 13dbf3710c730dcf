"""Browser journey: a reader comments, confirms by e-mail (real SMTP), an editor approves the
comment in the admin queue, and the comment is on the post. axe-core checks every step."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import Permission

from comments.models import Comment
from tests.browser_support import assert_accessible
from tests.factories import DEFAULT_PASSWORD, NewsIndexPageFactory, NewsPageFactory, UserFactory
from tests.smtp import smtp_server, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for_messages(smtp, count: int, seconds: float = 10.0) -> list:
    deadline = time.monotonic() + seconds
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp.messages) >= count, f"expected {count} e-mails, got {len(smtp.messages)}"
    return smtp.messages


def test_comment_confirm_moderate_and_show(page, live_server, settings, browser):
    from wagtail.models import Site

    from home.demo import ensure_home_page

    home = ensure_home_page()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    post = NewsPageFactory(
        parent=NewsIndexPageFactory(parent=home), title="Samskabelse i praksis", slug="samskabelse"
    )
    moderator = UserFactory(username="redaktoer", is_staff=True)
    moderator.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_comment"),
    )
    settings.BASE_URL = live_server.url
    settings.COMMENT_MIN_FILL_SECONDS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (smtp, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port

        page.goto(live_server.url + "/nyheder/samskabelse/")
        assert_accessible(page, "comments-1-post")
        page.get_by_role("link", name="Skriv en kommentar").click()
        page.wait_for_url(f"**/kommentarer/{post.pk}/")
        assert_accessible(page, "comments-2-form")
        page.get_by_label("Navn", exact=True).fill("Lone Læser")
        page.get_by_label("E-mail", exact=True).fill("lone@example.dk")
        page.get_by_label("Kommentar", exact=True).fill(
            "Vi har gode erfaringer med *samskabelse* i Vejle."
        )
        time.sleep(1.2)  # a person takes longer than the minimum fill time
        page.get_by_role("button", name="Send kommentar").click()
        assert page.locator("h1").inner_text() == "Tak for din kommentar"
        assert_accessible(page, "comments-3-check-email")

        confirmation = _wait_for_messages(smtp, 1)[0]
        assert confirmation["To"] == "lone@example.dk"
        link = re.search(r"http://\S+/kommentarer/bekraeft/\S+/", text_of(confirmation)).group(0)
        page.goto(link)
        assert_accessible(page, "comments-4-confirm")
        page.get_by_role("button", name="Bekræft kommentar").click()
        assert "bekræftet" in page.locator("h1").inner_text()
        assert Comment.objects.get().status == Comment.Status.PENDING

    editor = browser.new_page()
    editor.goto(live_server.url + "/admin/login/")
    editor.locator("#id_username").fill("redaktoer")
    editor.locator("#id_password").fill(DEFAULT_PASSWORD)
    editor.locator("#id_password").press("Enter")
    editor.wait_for_url(f"{live_server.url}/admin/")
    editor.get_by_role("link", name="Kommentarer (1)").click()
    editor.wait_for_url("**/admin/kommentarer/")
    assert "Vi har gode erfaringer" in editor.locator("main").inner_text()
    assert_accessible(editor, "comments-5-moderation-queue")
    editor.get_by_role("button", name="Godkend").click()
    editor.wait_for_url("**/admin/kommentarer/?status=pending")
    assert "Ingen kommentarer her." in editor.locator("main").inner_text()
    editor.close()

    page.goto(live_server.url + "/nyheder/samskabelse/")
    comments = page.get_by_role("region", name="1 kommentar")
    assert "Vi har gode erfaringer med samskabelse i Vejle." in comments.inner_text()
    assert page.locator("#kommentarer em").inner_text() == "samskabelse"
    assert_accessible(page, "comments-6-shown")
