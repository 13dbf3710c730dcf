"""Events in the admin: from an event to its registrations, counts, actions, exports, print."""

import datetime
import io
import zoneinfo

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from openpyxl import load_workbook

from core.outbox.models import OutboundEmail
from events import services
from events.models import Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COPENHAGEN = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def people(open_event):
    """Capacity 2: two confirmed, one waiting, one cancelled."""
    made = []
    for n, name in enumerate(["Anna Andersen", "Bo Berg", "Carl Clausen", "Dorte Dam"]):
        registration = services.register_for_event(
            open_event, name=name, email=f"p{n}@example.dk", organisation="Aarhus Kommune"
        )
        made.append(services.confirm_registration(services.confirm_token(registration)))
    services.cancel_registration(services.cancel_token(made[3]))
    mail.outbox.clear()
    return [Registration.objects.get(pk=r.pk) for r in made]


@pytest.fixture
def editor_client():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="redaktoer", is_staff=True, is_superuser=True))
    client.get("/admin/")  # sets the CSRF cookie
    return client


def _csrf(client) -> dict:
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}


def _url(event, rest="tilmeldinger/"):
    return f"/admin/arrangementer/{event.pk}/{rest}"


def test_the_event_edit_view_shows_counts_a_fill_bar_and_the_link(
    editor_client, open_event, people
):
    html = editor_client.get(f"/admin/pages/{open_event.pk}/edit/").content.decode()
    assert "2 af 2 pladser besat (100 %)" in html
    assert '<meter id="event-fill-' in html and 'value="2"' in html
    assert 'data-count="waitlisted">1<' in html and 'data-count="cancelled">1<' in html
    assert f'href="{_url(open_event)}"' in html


def test_the_page_listing_links_each_event_to_its_registrations(
    editor_client, event_index, open_event, people
):
    html = editor_client.get(f"/admin/pages/{event_index.pk}/").content.decode()
    assert f'href="{_url(open_event)}"' in html
    assert "Tilmeldinger (2/2)" in html


def test_the_registrations_of_a_translation_are_the_source_events(
    editor_client, open_event, people
):
    english = open_event.copy_for_translation(_english_locale(), copy_parents=True)
    response = editor_client.get(_url(english))
    assert response.status_code == 200
    assert "Anna Andersen" in response.content.decode()


def _english_locale():
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]


def test_listing_shows_names_statuses_and_filters(editor_client, open_event, people):
    html = editor_client.get(_url(open_event)).content.decode()
    for name in ("Anna Andersen", "Bo Berg", "Carl Clausen", "Dorte Dam"):
        assert name in html
    assert "På venteliste" in html and "Afmeldt" in html
    waiting = editor_client.get(_url(open_event) + "?status=waitlisted").content.decode()
    assert "Carl Clausen" in waiting and "Anna Andersen" not in waiting
    assert editor_client.get(_url(open_event) + "?status=bogus").status_code == 200


def test_csv_export_is_readable_local_and_formula_safe(editor_client, open_event, people):
    Registration.objects.filter(pk=people[0].pk).update(
        name='=HYPERLINK("https://evil.example","klik")',
        created_at=datetime.datetime(2026, 6, 1, 10, 30, tzinfo=datetime.UTC),
    )
    response = editor_client.get(_url(open_event, "tilmeldinger/eksport.csv"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Navn;E-mail;Organisation;Status")
    anna = next(line for line in lines if "p0@example.dk" in line)
    assert anna.startswith("\"'=HYPERLINK(") or anna.startswith("'=HYPERLINK(")
    assert ";Tilmeldt;" in anna
    assert "01.06.2026 12:30" in anna  # 10:30 UTC is 12:30 summer time in Copenhagen
    assert any(";På venteliste;" in line for line in lines)
    assert not any(";waitlisted;" in line for line in lines)


def test_xlsx_export_keeps_formulas_as_text_and_times_local(editor_client, open_event, people):
    Registration.objects.filter(pk=people[0].pk).update(
        name="=1+1", created_at=datetime.datetime(2026, 1, 5, 8, 0, tzinfo=datetime.UTC)
    )
    response = editor_client.get(_url(open_event, "tilmeldinger/eksport.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    headings = [c.value for c in rows[0]]
    anna = next(row for row in rows if row[1].value == "p0@example.dk")
    assert anna[0].value == "=1+1" and anna[0].data_type == "s"
    assert anna[headings.index("Status")].value == "Tilmeldt"
    created = anna[headings.index("Tilmeldt")]
    assert created.value == datetime.datetime(2026, 1, 5, 9, 0)  # CET
    assert created.number_format == "DD.MM.YYYY HH:MM"
    assert editor_client.get(_url(open_event, "tilmeldinger/eksport.pdf")).status_code == 404


def _act(client, event, action, ids, **extra):
    return client.post(
        _url(event, "tilmeldinger/handling/"),
        {"action": action, "registrations": ids, **extra, **_csrf(client)},
    )


def test_marking_attended_changes_only_the_chosen(editor_client, open_event, people):
    response = _act(editor_client, open_event, "attended", [people[0].pk, people[3].pk])
    assert response.status_code == 302
    attended = dict(Registration.objects.values_list("name", "attended"))
    assert attended == {
        "Anna Andersen": True,
        "Bo Berg": False,
        "Carl Clausen": False,
        "Dorte Dam": False,  # cancelled: left alone
    }
    assert Registration.objects.get(pk=people[0].pk).attended_at is not None
    assert services.registration_counts(open_event).attended == 1
    _act(editor_client, open_event, "not_attended", [people[0].pk])
    assert not Registration.objects.get(pk=people[0].pk).attended


def test_moving_to_the_waiting_list_mails_each_person_once(editor_client, open_event, people):
    _act(editor_client, open_event, "waitlist", [people[1].pk])
    _act(editor_client, open_event, "waitlist", [people[1].pk])  # resubmitted
    bo = Registration.objects.get(pk=people[1].pk)
    assert bo.status == "waitlisted" and bo.queued_at > people[2].queued_at
    assert [m.to for m in mail.outbox] == [["p1@example.dk"]]
    assert "venteliste" in mail.outbox[0].subject
    counts = services.registration_counts(open_event)
    assert (counts.confirmed, counts.waitlisted) == (1, 2)


def test_emailing_the_chosen_queues_one_outbox_row_each_and_never_twice(
    editor_client, open_event, people
):
    chosen = [people[0].pk, people[2].pk]
    form = _act(editor_client, open_event, "email", chosen)
    assert form.status_code == 200 and "Emne" in form.content.decode()
    assert OutboundEmail.objects.filter(kind="events.message").count() == 0

    message = {"subject": "Praktisk info", "body": "Husk madpakke.\nVi ses!"}
    assert _act(editor_client, open_event, "email", chosen, **message).status_code == 302
    assert _act(editor_client, open_event, "email", chosen, **message).status_code == 302
    rows = OutboundEmail.objects.filter(kind="events.message")
    assert sorted(rows.values_list("recipient", flat=True)) == ["p0@example.dk", "p2@example.dk"]
    assert len({row.group for row in rows}) == 1
    sent = sorted(mail.outbox, key=lambda m: m.to)
    assert [m.to for m in sent] == [["p0@example.dk"], ["p2@example.dk"]]
    assert sent[0].subject == "Praktisk info" and "Husk madpakke." in sent[0].body
    assert open_event.title in sent[0].body


def test_bad_or_foreign_ids_answer_400_with_the_reason(editor_client, open_event, people):
    for ids in (["abc"], ["99999999999999999999999"], ["999999"], []):
        response = _act(editor_client, open_event, "attended", ids)
        assert response.status_code == 400
        assert "Handlingen blev ikke udført" in response.content.decode()
    assert _act(editor_client, open_event, "explode", [people[0].pk]).status_code == 400
    subject_injection = {"subject": "Hej\nBcc: x@evil.example", "body": "x"}
    response = _act(editor_client, open_event, "email", [people[0].pk], **subject_injection)
    assert response.status_code == 400
    assert not Registration.objects.filter(attended=True).exists()
    assert not OutboundEmail.objects.filter(kind="events.message").exists()


def test_actions_need_a_post_with_csrf(editor_client, open_event, people):
    url = _url(open_event, "tilmeldinger/handling/")
    assert editor_client.get(url).status_code == 405
    no_token = editor_client.post(url, {"action": "attended", "registrations": [people[0].pk]})
    assert no_token.status_code == 403
    assert not Registration.objects.filter(attended=True).exists()


@pytest.fixture
def reader_client():
    """Admin access, but no permission on registrations."""
    reader = UserFactory(username="laeser", is_staff=True)
    group = Group.objects.create(name="Kun adgang til admin")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    reader.groups.add(group)
    client = Client()
    client.force_login(reader)
    return client


def test_editors_without_permission_get_403_everywhere(reader_client, open_event, people):
    for rest in (
        "tilmeldinger/",
        "tilmeldinger/eksport.csv",
        "tilmeldinger/eksport.xlsx",
        "deltagerliste/",
    ):
        response = reader_client.get(_url(open_event, rest))
        assert response.status_code == 403, rest
        assert "Anna" not in response.content.decode()
    response = reader_client.post(
        _url(open_event, "tilmeldinger/handling/"),
        {"action": "attended", "registrations": [people[0].pk]},
    )
    assert response.status_code == 403
    assert not Registration.objects.filter(attended=True).exists()


def test_viewers_see_but_cannot_act(reader_client, open_event, people):
    group = Group.objects.get(name="Kun adgang til admin")
    group.permissions.add(Permission.objects.get(codename="view_registration"))
    html = reader_client.get(_url(open_event)).content.decode()
    assert "Anna Andersen" in html and 'name="action"' not in html
    response = reader_client.post(
        _url(open_event, "tilmeldinger/handling/"),
        {"action": "attended", "registrations": [people[0].pk]},
    )
    assert response.status_code == 403


def test_the_printable_attendance_list_has_the_confirmed_and_a_signature_column(
    editor_client, open_event, people
):
    response = editor_client.get(_url(open_event, "deltagerliste/"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Underskrift" in html and "Aarhus Kommune" in html
    assert "Anna Andersen" in html and "Bo Berg" in html
    assert "Carl Clausen" not in html and "Dorte Dam" not in html  # waiting, cancelled
    assert "events/admin.css" in html
    assert "<style" not in html and " style=" not in html


def test_an_unknown_event_is_404(editor_client):
    assert editor_client.get("/admin/arrangementer/999999/tilmeldinger/").status_code == 404
