"""An event and its translation are one event: one pool of seats, one registration per person."""

import re

import pytest
from django.apps import apps
from django.core import mail
from wagtail.models import Locale

from events import services
from events.models import Registration
from tests.factories import EventPageFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def translate(page):
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = f"{page.title} (English)"
    english.save_revision().publish()  # its parents are created as live aliases
    english.refresh_from_db()
    return english


@pytest.fixture
def english_event(open_event):
    return translate(open_event)


def test_registrations_on_the_english_page_take_seats_of_the_one_event(
    client, open_event, english_event
):
    for n, page in enumerate((open_event, english_event)):
        registration = services.register_for_event(page, name=f"P{n}", email=f"p{n}@example.dk")
        services.confirm_registration(services.confirm_token(registration))
    assert list(Registration.objects.values_list("event", "language", "status")) == [
        (open_event.pk, "da", "confirmed"),
        (open_event.pk, "en", "confirmed"),
    ]
    # Capacity 2 is used up in both languages; a third person waits, whichever page they use.
    assert "All seats are taken" in client.get(english_event.url).content.decode()
    third = services.register_for_event(english_event, name="P2", email="p2@example.dk")
    assert services.confirm_registration(services.confirm_token(third)).status == "waitlisted"


def test_the_same_address_on_both_pages_holds_one_registration(open_event, english_event):
    services.register_for_event(open_event, name="Anna", email="anna@example.dk")
    with pytest.raises(services.RegistrationError):
        services.register_for_event(english_event, name="Anna", email="ANNA@example.dk")
    assert Registration.objects.count() == 1


def test_a_member_registered_on_the_danish_page_sees_it_on_the_english_page(
    client, open_event, english_event
):
    member = make_member(email="mette@vejle.dk", first_name="Mette")
    services.register_for_event(open_event, name="Mette", email="mette@vejle.dk", user=member)
    client.force_login(member)
    html = client.get(english_event.url).content.decode()
    assert "You are registered." in html and "Register me" not in html


def test_english_registrants_get_english_mail_linking_the_english_page(
    client, open_event, english_event
):
    client.post(
        f"/arrangementer/{english_event.pk}/tilmeld/", {"name": "Anna", "email": "anna@example.dk"}
    )
    assert mail.outbox[0].subject == f"Confirm your registration: {english_event.title}"
    link = re.search(r"http://\S+(/arrangementer/bekraeft/\S+/)", mail.outbox[0].body).group(1)
    question = client.get(link).content.decode()
    assert english_event.title in question
    client.post(link)
    confirmation = mail.outbox[1]
    assert confirmation.subject == f"You are registered: {english_event.title}"
    assert english_event.url in confirmation.body
    ics = confirmation.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"event-{open_event.pk}@" in ics  # the same calendar entry as the Danish one


def test_reminders_go_once_per_person_in_their_language(open_event, english_event):
    import datetime

    from django.utils import timezone

    for n, page in enumerate((open_event, english_event)):
        registration = services.register_for_event(page, name=f"P{n}", email=f"p{n}@example.dk")
        services.confirm_registration(services.confirm_token(registration))
    mail.outbox.clear()
    assert services.send_reminders(now=open_event.start - datetime.timedelta(days=1)) == 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == [
        f"Påmindelse: {open_event.title}",
        f"Reminder: {english_event.title}",
    ]
    assert services.send_reminders(now=timezone.now()) == 0


def test_the_calendar_feed_lists_each_event_once_in_the_visitors_language(
    client, open_event, english_event
):
    danish = client.get("/arrangementer/kalender.ics").content.decode()
    assert danish.count("BEGIN:VEVENT") == 1 and f"SUMMARY:{open_event.title}" in danish
    english = client.get("/arrangementer/kalender.ics", HTTP_ACCEPT_LANGUAGE="en").content
    english = english.decode()
    assert english.count("BEGIN:VEVENT") == 1


def test_the_english_event_index_shows_translations_and_falls_back_to_danish(
    client, event_index, open_event, english_event
):
    untranslated = EventPageFactory(parent=event_index, title="Kun på dansk")
    draft = translate(untranslated)
    draft.unpublish()
    english_index = event_index.get_translation(Locale.objects.get(language_code="en"))
    html = client.get(english_index.url).content.decode()
    assert english_event.title in html
    assert "Kun på dansk" in html  # no live English translation: the Danish page
    assert f">{open_event.title}<" not in html
    danish = client.get(event_index.url).content.decode()
    assert open_event.title in danish and english_event.title not in danish


def test_the_registrations_filter_lists_each_event_once_and_no_drafts(
    client, event_index, open_event, english_event
):
    EventPageFactory(parent=event_index, title="Kladde", live=False)
    EventPageFactory(parent=event_index, title="Et andet arrangement")
    services.register_for_event(english_event, name="Anna", email="anna@example.dk")
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))
    html = client.get("/admin/events/registration/").content.decode()
    assert html.count(f"{open_event.title} (") == 1
    assert html.count("Et andet arrangement (") == 1
    assert english_event.title not in html and "Kladde" not in html


def test_existing_registrations_move_to_the_source_event(open_event, english_event):
    migration = __import__(
        "events.migrations.0004_registrations_belong_to_source_event", fromlist=["move_to_source"]
    )
    danish = Registration.objects.create(
        event=open_event, name="Anna", email="anna@example.dk", status="pending"
    )
    Registration.objects.create(
        event=english_event, name="Anna", email="anna@example.dk", status="confirmed"
    )
    Registration.objects.create(
        event=english_event, name="Bo", email="bo@example.dk", status="waitlisted"
    )
    migration.move_to_source(apps, None)
    rows = Registration.objects.order_by("pk").values_list("event", "email", "status", "language")
    assert list(rows) == [
        (open_event.pk, "anna@example.dk", "cancelled", "da"),
        (open_event.pk, "anna@example.dk", "confirmed", "en"),
        (open_event.pk, "bo@example.dk", "waitlisted", "en"),
    ]
    assert danish.pk == Registration.objects.order_by("pk").first().pk
