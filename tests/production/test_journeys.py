"""Browser journeys across apps: a newsletter reader's whole life cycle, and an editor who
logs in with a second factor and publishes news that reaches the RSS feed."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsletters import services as newsletters
from newsletters.models import NewsletterIndexPage, NewsletterPage, Subscriber
from tests.browser_support import assert_accessible
from tests.factories import DEFAULT_PASSWORD, NewsIndexPageFactory, UserFactory
from tests.smtp import smtp_server, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wait_for_messages(smtp, count: int, seconds: float = 5.0) -> list:
    deadline = time.monotonic() + seconds
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp.messages) >= count, f"expected {count} e-mails, got {len(smtp.messages)}"
    return smtp.messages


def _link(message, pattern: str) -> str:
    found = re.search(rf"http://\S+{pattern}\S*/", text_of(message))
    assert found, f"no link matching {pattern!r} in:\n{text_of(message)}"
    return found.group(0)


def test_reader_subscribes_confirms_and_unsubscribes_from_the_newsletter(
    page, live_server, settings
):
    from home.demo import ensure_home_page

    archive = ensure_home_page().add_child(
        instance=NewsletterIndexPage(title="Nyhedsbreve", slug="nyhedsbrev-arkiv")
    )
    issue = archive.add_child(
        instance=NewsletterPage(
            title="Nyhedsbrev december 2026",
            body=[("text", "<p>Kære læser, her er nyt fra netværket.</p>")],
        )
    )
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (smtp, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port

        page.goto(live_server.url + "/nyhedsbrev/tilmeld/")
        assert_accessible(page, "newsletter-1-subscribe")
        page.get_by_label("E-mail").fill("laeser@example.dk")
        page.get_by_label("Navn (valgfrit)").fill("Lone Læser")
        page.get_by_label("Ja tak, send mig").check()
        page.get_by_role("button", name="Tilmeld").click()
        assert "Tjek din e-mail" in page.locator("h1").inner_text()
        assert_accessible(page, "newsletter-2-check-email")

        confirmation = _wait_for_messages(smtp, 1)[0]
        assert confirmation["To"] == "laeser@example.dk"
        page.goto(_link(confirmation, "/nyhedsbrev/bekraeft/"))
        assert_accessible(page, "newsletter-3-confirm")
        page.get_by_role("button", name="Bekræft abonnement").click()
        assert "Du er tilmeldt" in page.locator("h1").inner_text()
        assert_accessible(page, "newsletter-4-confirmed")
        assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

        # The editors send the next issue; its footer carries the personal unsubscribe link.
        send = newsletters.create_send(issue)
        newsletters.queue_deliveries(send)
        newsletters.send_batch(send.pk)
        newsletter = _wait_for_messages(smtp, 2)[1]
        assert newsletter["To"] == "laeser@example.dk"
        assert "Kære læser" in text_of(newsletter)

    page.goto(_link(newsletter, "/nyhedsbrev/afmeld/"))
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE  # a GET changes nothing
    assert_accessible(page, "newsletter-5-unsubscribe")
    page.get_by_role("button", name="Afmeld").click()
    assert "Du er afmeldt" in page.locator("h1").inner_text()
    assert_accessible(page, "newsletter-6-unsubscribed")
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def _current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_editor_logs_in_with_two_factors_and_publishes_news_that_reaches_the_feed(
    page, live_server, settings
):
    from home.demo import ensure_home_page

    settings.ADMIN_2FA_REQUIRED = True
    news = NewsIndexPageFactory(parent=ensure_home_page())
    editor = UserFactory(username="redaktoer", is_staff=True, is_superuser=True)
    device = TOTPDevice.objects.create(user=editor, name="Telefon", confirmed=True)

    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/admin/login/**")
    assert_accessible(page, "editor-1-login")
    page.locator("#id_username").fill("redaktoer")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_password").press("Enter")

    page.wait_for_url("**/admin/2fa/verify/**")
    assert_accessible(page, "editor-2-second-factor")
    page.get_by_label("Kode fra din godkendelses-app").fill(_current_code(device))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    assert_accessible(page, "editor-3-dashboard")

    page.goto(f"{live_server.url}/admin/pages/{news.pk}/add_subpage/")
    page.wait_for_url("**/admin/pages/add/home/newspage/**")
    page.locator("#id_title").fill("Netværket åbner for nye medlemmer")
    page.locator("#id_intro").fill("Fra 2027 kan flere kommuner blive medlem af netværket.")
    # Wagtail's tag field (the old tag-it widget, wagtail/wagtail#2952) adds a typing box
    # without a label of its own; the field's label belongs to the hidden input.
    assert_accessible(
        page, "editor-4-new-news-post", upstream=(("label", ".ui-autocomplete-input"),)
    )
    page.get_by_role("button", name=re.compile("Flere handlinger|More actions")).click()
    page.get_by_role("button", name=re.compile("^(Udgiv|Publish)$")).click()
    page.wait_for_url(f"**/admin/pages/{news.pk}/")
    assert_accessible(page, "editor-5-published")

    with urllib.request.urlopen(f"{live_server.url}/nyheder/feed/rss/", timeout=10) as feed:
        rss = feed.read().decode()
    assert "<title>Netværket åbner for nye medlemmer</title>" in rss
    assert "/nyheder/netvaerket-abner-for-nye-medlemmer/" in rss

    page.goto(live_server.url + "/nyheder/netvaerket-abner-for-nye-medlemmer/")
    assert page.locator("h1").inner_text() == "Netværket åbner for nye medlemmer"
    assert_accessible(page, "editor-6-news-post")
