"""Materials after an event: shown on the event page from its start, announced to the
participants in one e-mail the first time they are published, and for members only when the
event is."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Locale
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.outbox.models import OutboundEmail
from events import services
from events.materials import EventMaterial
from events.models import EventPage, Registration
from members_area.access import members_group
from resources.demo import tiny_pdf
from tests.factories import EventPageFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def _document(title="Slides fra oplægget"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(tiny_pdf("Slides"), name="slides.pdf")
    )


def _held_event(event_index, **kwargs):
    now = timezone.now()
    return EventPageFactory(
        parent=event_index,
        start=now - datetime.timedelta(days=1, hours=3),
        end=now - datetime.timedelta(days=1),
        **kwargs,
    )


def _participant(event, email, status="confirmed", user=None, language="da", **fields):
    return Registration.objects.create(
        event=event,
        user=user,
        name=email.split("@")[0],
        email=email,
        status=status,
        language=language,
        is_member=user is not None,
        **fields,
    )


def _publish_with(event, *materials):
    event.materials = list(event.materials.all()) + list(materials)
    event.save_revision().publish()
    event.refresh_from_db()


def _slides(document=None):
    return EventMaterial(
        title="Slides fra oplægget", kind="slides", document=document or _document()
    )


def _recording():
    return EventMaterial(title="Optagelse", kind="recording", url="https://video.example/optagelse")


def _material_mails():
    return [
        m for m in mail.outbox if "Materialer fra" in m.subject or "Materials from" in m.subject
    ]


def test_participants_get_one_email_with_links_and_republishing_sends_none(event_index):
    event = _held_event(event_index, title="Temaeftermiddag om frivillighed")
    _participant(event, "anna@example.dk")
    _participant(event, "bo@example.dk", status="cancelled", attended=False)
    _participant(event, "cille@example.dk", status="cancelled", attended=True)
    _participant(event, "dan@example.dk", status="waitlisted")
    document = _document()

    _publish_with(event, _slides(document), _recording())

    mails = _material_mails()
    assert sorted(m.to[0] for m in mails) == ["anna@example.dk", "cille@example.dk"]
    body = mails[0].body
    assert mails[0].subject == "Materialer fra Temaeftermiddag om frivillighed"
    assert f"http://localhost:8000{document.url}" in body or document.url in body
    assert "https://video.example/optagelse" in body and event.url in body

    mail.outbox.clear()
    _publish_with(event, EventMaterial(title="Referat", kind="document", document=_document()))
    event.save_revision().publish()
    assert _material_mails() == []
    assert OutboundEmail.objects.filter(group=f"event-materials:{event.pk}").count() == 2


def test_publishing_without_materials_mails_nobody_until_they_come(event_index):
    event = _held_event(event_index)
    _participant(event, "anna@example.dk")

    event.save_revision().publish()
    assert _material_mails() == []

    _publish_with(event, _recording())
    assert [m.to for m in _material_mails()] == [["anna@example.dk"]]


def test_materials_show_on_the_page_once_the_event_has_begun(client, event_index, open_event):
    _participant(open_event, "anna@example.dk")
    _publish_with(open_event, _recording())

    assert "https://video.example/optagelse" not in client.get(open_event.url).content.decode()
    assert _material_mails() == []  # not before the event

    held = _held_event(event_index)
    _publish_with(held, _recording())
    html = client.get(held.url).content.decode()
    assert 'id="materials"' in html and "https://video.example/optagelse" in html


def test_english_participants_get_english_mail_and_every_language_shows_the_materials(
    client, event_index
):
    event = _held_event(event_index, title="Temaeftermiddag")
    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = "Theme afternoon"
    english.save_revision().publish()
    _participant(event, "anna@example.dk", language="en")

    _publish_with(event, _recording())

    [message] = _material_mails()
    assert message.subject == "Materials from Theme afternoon"
    assert english.url in message.body
    assert "https://video.example/optagelse" in client.get(english.url).content.decode()


@pytest.fixture
def members_event(event_index):
    return _held_event(event_index, title="Netværksmøde for medlemmer", audience="members")


def test_documents_of_a_members_event_are_for_members_only(client, members_event):
    document = _document()
    _publish_with(members_event, _slides(document), _recording())
    document.refresh_from_db()
    assert document.collection.get_view_restrictions().exists()

    anonymous_page = client.get(members_event.url).content.decode()
    assert document.url not in anonymous_page
    assert "https://video.example/optagelse" not in anonymous_page
    assert "kun for medlemmer" in anonymous_page
    assert client.get(document.url).status_code == 302  # to the login page

    outsider = Client()
    outsider.force_login(UserFactory(email="offentlig@example.dk"))
    assert document.url not in outsider.get(members_event.url).content.decode()
    assert outsider.get(document.url).status_code == 403

    member = Client()
    member.force_login(make_member())
    assert document.url in member.get(members_event.url).content.decode()
    assert member.get(document.url).status_code == 200


def test_a_members_event_mails_its_materials_to_members_only(members_event):
    current = make_member(email="mette@vejle.dk")
    former = make_member(email="tidligere@odense.dk")
    former.groups.remove(members_group())
    _participant(members_event, current.email, user=current)
    _participant(members_event, former.email, user=former)
    _participant(members_event, "uden-konto@example.dk")

    _publish_with(members_event, _recording())

    assert [m.to for m in _material_mails()] == [["mette@vejle.dk"]]
    outbox_text = "".join(m.body for m in mail.outbox if m.to != ["mette@vejle.dk"])
    assert "https://video.example/optagelse" not in outbox_text


def test_materials_published_before_the_start_are_mailed_once_it_has_come(open_event):
    _participant(open_event, "anna@example.dk")
    _publish_with(open_event, _recording())
    assert _material_mails() == []

    started = timezone.now() - datetime.timedelta(minutes=30)
    EventPage.objects.filter(pk=open_event.pk).update(start=started)
    services.announce_due_materials()
    services.announce_due_materials()  # the next hour's run mails nobody again

    assert [m.to for m in _material_mails()] == [["anna@example.dk"]]


def test_a_translation_made_after_the_materials_copies_none_and_shows_the_events(
    client, event_index
):
    event = _held_event(event_index)
    _publish_with(event, _recording())
    english = event.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.save_revision().publish()

    assert EventMaterial.objects.filter(page=english).count() == 0
    assert "https://video.example/optagelse" in client.get(english.url).content.decode()


def test_an_editor_attaches_materials_and_publishing_mails_the_participants(
    admin_client, event_index
):
    event = _held_event(event_index, title="Konference om velfærd")
    _participant(event, "anna@example.dk")
    document = _document()
    edit = f"/admin/pages/{event.pk}/edit/"

    assert "Materialer efter arrangementet" in admin_client.get(edit).content.decode()

    def form(materials):
        return nested_form_data(
            {
                "title": event.title,
                "slug": event.slug,
                "event_type": "conference",
                "audience": "open",
                "summary": event.summary,
                "start": timezone.localtime(event.start).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(event.end).strftime("%Y-%m-%d %H:%M"),
                "venue_name": "Dokk1",
                "capacity": "20",
                "description": rich_text(""),
                "programme": streamfield([]),
                "materials": inline_formset(materials),
                "action-publish": "action-publish",
            }
        )

    def publish(materials):
        return admin_client.post(edit, form(materials))

    slides = {"title": "Slides", "kind": "slides", "document": document.pk, "url": ""}
    refused = publish([slides, {"title": "Tom", "kind": "link", "document": "", "url": ""}])
    assert "Vælg enten et dokument eller et link." in refused.content.decode()
    assert _material_mails() == []

    assert publish([slides]).status_code == 302
    assert [m.to for m in _material_mails()] == [["anna@example.dk"]]
    assert document.url in _material_mails()[0].body

    # The preview shows materials held in memory (not yet saved) like saved ones.
    recording = {
        "title": "Optagelsen",
        "kind": "recording",
        "document": "",
        "url": "https://video.example/ny",
    }
    preview = f"{edit}preview/"
    assert admin_client.post(preview, form([slides, recording])).json()["is_valid"]
    assert "https://video.example/ny" in admin_client.get(preview).content.decode()
