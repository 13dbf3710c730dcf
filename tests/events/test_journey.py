"""Browser: a non-member registers for an open afternoon event and confirms from the e-mail."""

import re

import pytest

from events.models import Registration
from tests.browser_support import assert_accessible
from tests.factories import EventIndexPageFactory, EventPageFactory
from tests.smtp import smtp_server, text_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def on_commit_runs_immediately():
    """Overrides the unit-test shortcut: this journey commits for real."""


def test_non_member_registers_and_confirms_from_the_email(page, live_server, settings):
    from home.demo import ensure_home_page

    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=ensure_home_page()),
        title="Temaeftermiddag om frivillighed",
    )
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with smtp_server() as (smtp, port):
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        page.goto(live_server.url + event.url)
        assert_accessible(page, "event-registration-1-event")
        page.get_by_role("link", name="Tilmeld dig").click()
        assert_accessible(page, "event-registration-2-form")
        page.get_by_label("Navn").fill("Anna Andersen")
        page.get_by_label("E-mail").fill("anna@example.dk")
        page.get_by_label("Organisation").fill("Frivilligcenter Aarhus")
        page.get_by_role("button", name="Tilmeld").click()
        assert "Tjek din e-mail" in page.locator("main").inner_text()
        assert_accessible(page, "event-registration-3-check-email")
        confirmation = smtp.messages[0]
        assert confirmation["To"] == "anna@example.dk"
        link = re.search(r"http://\S+/bekraeft/\S+/", text_of(confirmation)).group(0)

        page.goto(link)
        assert_accessible(page, "event-registration-4-confirm")
        page.get_by_role("button", name="Bekræft tilmelding").click()
        assert "Du er tilmeldt" in page.locator("h1").inner_text()
        assert_accessible(page, "event-registration-5-confirmed")
        assert Registration.objects.get().status == "confirmed"
        assert len(smtp.messages) == 2 and "Du er tilmeldt" in smtp.messages[1]["Subject"]
