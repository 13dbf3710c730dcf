"""English event pages, and everything reached from them, are in English."""

import re

import pytest
from django.core import mail
from wagtail.models import Locale

from events.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def english_event(open_event):
    english = open_event.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True
    )
    english.save_revision().publish()  # its parents are created as live aliases
    english.refresh_from_db()
    return english


def test_an_english_visitor_registers_and_confirms_in_english(client, english_event):
    html = client.get(english_event.url).content.decode()
    assert english_event.url.startswith("/en/")
    assert "Registration" in html and "2 seats available." in html and "Tilmelding" not in html

    form = client.get(f"/arrangementer/{english_event.pk}/tilmeld/").content.decode()
    assert "You will get an email with a link" in form
    response = client.post(
        f"/arrangementer/{english_event.pk}/tilmeld/",
        {"name": "Anna Andersen", "email": "anna@example.dk"},
    )
    assert "Check your email" in response.content.decode()
    assert mail.outbox[0].subject == f"Confirm your registration: {english_event.title}"
    assert "Thank you for registering" in mail.outbox[0].body

    link = re.search(r"http://\S+(/arrangementer/bekraeft/\S+/)", mail.outbox[0].body).group(1)
    confirmed = client.post(link).content.decode()
    assert "You are registered" in confirmed
    assert Registration.objects.get().status == "confirmed"


def test_english_error_messages(client, english_event):
    url = f"/arrangementer/{english_event.pk}/tilmeld/"
    client.post(url, {"name": "Anna", "email": "anna@example.dk"})
    again = client.post(url, {"name": "Anna", "email": "anna@example.dk"})
    # The same answer as a new registration (no enumeration; issue 11 item 4).
    assert again.status_code == 200 and "Du er allerede" not in again.content.decode()
