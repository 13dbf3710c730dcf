"""Browser, in English: home → menu → event → register → e-mail over SMTP → confirm.

Runs on the embedded default's addressing: no BASE_URL, so the links in the e-mail must point
at the address the site is actually served on (the live server's random port).
"""

import re

import pytest
from wagtail.models import Locale

from events.models import Registration
from tests.browser_support import assert_accessible
from tests.factories import EventIndexPageFactory, EventPageFactory
from tests.smtp import smtp_server, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def on_commit_runs_immediately():
    """Overrides the unit-test shortcut: this journey commits for real."""


def _english(page, **fields):
    translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def test_an_english_visitor_registers_from_the_menu_and_confirms_from_the_email(
    page, live_server, settings
):
    from core.site_address import forget_served_address
    from home.demo import ensure_home_page

    home = ensure_home_page()
    index = EventIndexPageFactory(parent=home, show_in_menus=True)
    event = EventPageFactory(parent=index, title="Temaeftermiddag om frivillighed")
    _english(home, title="Home", slug="home")
    _english(index, title="Events", slug="events")
    english_event = _english(event, title="Theme afternoon on volunteering", slug="volunteering")

    settings.BASE_URL = ""  # the embedded default: links follow the served address
    forget_served_address()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (smtp, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        page.goto(live_server.url + "/en/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert_accessible(page, "english-event-1-home")
        page.get_by_role("navigation").get_by_role("link", name="Events").first.click()
        assert_accessible(page, "english-event-2-index")
        page.get_by_role("link", name="Theme afternoon on volunteering").first.click()
        assert page.url == live_server.url + english_event.url
        assert_accessible(page, "english-event-3-event")
        page.get_by_role("link", name="Register").click()
        assert_accessible(page, "english-event-4-form")
        page.get_by_label("Name").fill("Anna Andersen")
        page.get_by_label("Email").fill("anna@example.dk")
        page.get_by_role("button", name="Register").click()
        assert "Check your email" in page.locator("main").inner_text()
        assert_accessible(page, "english-event-5-check-email")

        confirmation = smtp.messages[0]
        assert confirmation["Subject"] == f"Confirm your registration: {english_event.title}"
        body = text_of(confirmation)
        assert "localhost:8000" not in body and "http://localhost/" not in body
        link = re.search(r"http://\S+/bekraeft/\S+/", body).group(0)
        assert link.startswith(live_server.url + "/")

        page.goto(link)
        assert_accessible(page, "english-event-6-confirm")
        page.get_by_role("button", name="Confirm").click()
        assert "You are registered" in page.locator("h1").inner_text()
        assert_accessible(page, "english-event-7-confirmed")
        registration = Registration.objects.get()
        assert (registration.event_id, registration.language) == (event.pk, "en")
        assert registration.status == "confirmed"
        registered = text_of(smtp.messages[1])
        assert live_server.url + english_event.url in registered
