"""Browser: an editor composes an issue from the proposals, publishes it, sends it from the
action menu next to Publish and watches the progress bar reach the end."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from core.outbox.models import OutboundEmail
from newsletters import services, tasks
from newsletters.models import NewsletterPage, NewsletterSend
from tests.browser_support import assert_accessible
from tests.factories import DEFAULT_PASSWORD, NewsIndexPageFactory, NewsPageFactory, UserFactory
from tests.newsletters.conftest import (
    NewsletterIndexPageFactory,
    NewsletterPageFactory,
    make_subscribers,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def on_commit_runs_immediately():
    """Overrides the unit-test shortcut: this journey commits for real."""


def _published(page, days_ago):
    Page.objects.filter(pk=page.pk).update(
        first_published_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return page


def test_editor_composes_sends_and_follows_the_progress(page, live_server, settings, monkeypatch):
    from home.demo import ensure_home_page

    settings.ADMIN_2FA_REQUIRED = False
    home = ensure_home_page()
    archive = NewsletterIndexPageFactory(parent=home)
    _published(NewsletterPageFactory(parent=archive, title="Oktober"), days_ago=30)
    issue = _published(NewsletterPageFactory(parent=archive, title="November"), days_ago=0)
    news = NewsIndexPageFactory(parent=home)
    _published(NewsPageFactory(parent=news, title="Ny strategi for frivillighed"), days_ago=3)
    _published(NewsPageFactory(parent=news, title="Netværksmøde i Vejle"), days_ago=2)
    make_subscribers("anna@example.dk", "bo@example.dk")
    UserFactory(username="redaktoer", is_staff=True, is_superuser=True)
    # The worker is busy: the send waits in the database until this test works through it.
    queued = []
    monkeypatch.setitem(tasks.send_newsletter.app.conf, "task_always_eager", False)
    monkeypatch.setattr(
        tasks.send_newsletter, "apply_async", lambda args, kwargs: queued.append(args[0])
    )

    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("redaktoer")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")

    # Compose: the proposals are what was published since October; keep one.
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/edit/")
    page.locator(".newsletter-composer").get_by_role("link", name="Foreslå indhold").click()
    page.wait_for_url(f"**/admin/nyhedsbrev/foreslaa/{issue.pk}/")
    assert_accessible(page, "newsletter-1-proposals")
    page.get_by_label("Netværksmøde i Vejle").uncheck()
    page.get_by_role("button", name="Tilføj valgte til nyhedsbrevet").click()
    page.wait_for_url(f"**/admin/pages/{issue.pk}/edit/")
    assert "1 side er tilføjet" in page.locator(".messages").inner_text()

    # Publish, then Send from the action menu, right after Publish.
    page.get_by_role("button", name=re.compile("Flere handlinger|More actions")).click()
    page.get_by_role("button", name=re.compile("^(Udgiv|Publish)$")).click()
    page.wait_for_url(f"**/admin/pages/{archive.pk}/")
    page.goto(f"{live_server.url}/admin/pages/{issue.pk}/edit/")
    page.get_by_role("button", name=re.compile("Flere handlinger|More actions")).click()
    page.locator("footer").get_by_role("link", name="Send nyhedsbrev").click()
    page.wait_for_url(f"**/admin/nyhedsbrev/send/{issue.pk}/")
    assert_accessible(page, "newsletter-2-send")
    page.get_by_role("button", name="Send eller planlæg").click()
    page.wait_for_url("**/admin/nyhedsbrev/udsendelse/*/")
    assert_accessible(page, "newsletter-3-progress-waiting")
    send = NewsletterSend.objects.get()
    assert queued == [send.pk]
    assert "Ny strategi for frivillighed" in send.html
    assert "Netværksmøde i Vejle" not in send.html
    bar = page.locator("progress#send-progress-bar")

    # The worker runs: the page follows without being reloaded.
    services.send_all(send.pk)
    page.locator('[data-count="status"]').filter(has_text="Sendt").wait_for(timeout=10_000)
    assert page.locator('[data-count="sent"]').inner_text() == "2"
    assert bar.evaluate("b => [b.value, b.max]") == [2, 2]
    assert page.locator("[data-send-progress-url]").get_attribute("data-send-done") == "true"
    assert_accessible(page, "newsletter-4-progress-done")
    assert OutboundEmail.objects.filter(status="sent").count() == 2
    assert NewsletterPage.objects.get(pk=issue.pk).live
