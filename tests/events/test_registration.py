import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from events import services
from events.models import EventPage, Registration
from tests.factories import EventPageFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db


def _link(message, kind: str) -> str:
    return re.search(rf"http://[^/\s]+(/arrangementer/{kind}/\S+/)", message.body).group(1)


def _register(client, event, email, name="Anna Andersen"):
    return client.post(
        f"/arrangementer/{event.pk}/tilmeld/",
        {
            "name": name,
            "email": email,
            "organisation": "Dansk Røde Kors",
            "needs": "Vegetar",
            "needs_consent": "on",
        },
    )


def test_non_member_registers_and_confirms_by_email(client, open_event):
    response = _register(client, open_event, "anna@example.dk")
    assert "Tjek din e-mail" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "pending" and registration.needs == "Vegetar"
    assert mail.outbox[0].to == ["anna@example.dk"]

    link = _link(mail.outbox[0], "bekraeft")
    assert Registration.objects.get().status == "pending"  # a GET (link preview) confirms nothing
    client.get(link)
    assert Registration.objects.get().status == "pending"
    confirmed = client.post(link)
    assert "Du er tilmeldt" in confirmed.content.decode()
    assert Registration.objects.get().status == "confirmed"
    ics = [a for a in mail.outbox[-1].attachments if a[0].endswith(".ics")]
    assert ics and "BEGIN:VEVENT" in (
        ics[0][1] if isinstance(ics[0][1], str) else ics[0][1].decode()
    )

    client.post(link)  # confirming twice changes nothing
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_member_registers_in_one_click(client, open_event):
    member = make_member(email="mette@vejle.dk", first_name="Mette")
    client.force_login(member)
    client.post(f"/arrangementer/{open_event.pk}/tilmeld/", {"one_click": "1"})
    registration = Registration.objects.get()
    assert (
        registration.status == "confirmed"
        and registration.user == member
        and registration.is_member
    )


def test_members_only_event_refuses_non_members(client, event_index):
    event = EventPageFactory(parent=event_index, audience="members")
    response = _register(client, event, "udenfor@example.dk")
    assert Registration.objects.count() == 0
    assert "Log ind som medlem" in response.content.decode()
    client.force_login(UserFactory())
    with pytest.raises(services.RegistrationError):
        services.register_for_event(event, name="X", email="x@example.dk")


def test_full_event_puts_people_on_the_waiting_list_and_cancellation_promotes(client, open_event):
    people = []
    for n in range(4):
        registration = services.register_for_event(
            open_event, name=f"P{n}", email=f"p{n}@example.dk"
        )
        people.append(services.confirm_registration(services.confirm_token(registration)))
    assert [p.status for p in people] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]

    mail.outbox.clear()
    client.post(f"/arrangementer/afmeld/{services.cancel_token(people[0])}/")
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {
        "p0@example.dk": "cancelled",
        "p1@example.dk": "confirmed",
        "p2@example.dk": "confirmed",
        "p3@example.dk": "waitlisted",
    }
    assert [m.to for m in mail.outbox] == [["p2@example.dk"]]
    assert "plads ledig" in mail.outbox[0].body


@pytest.mark.parametrize("email", ["", "ikke-en-adresse", "a@b", "anna@example..dk"])
def test_malformed_email_changes_nothing(client, open_event, email):
    response = _register(client, open_event, email)
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_registering_an_address_again_answers_like_a_new_registration(
    client, open_event, django_capture_on_commit_callbacks
):
    """No enumeration (issue 11 item 4): same status and page; the address is told by e-mail."""
    _register(client, open_event, "anna@example.dk")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = _register(client, open_event, "Anna@Example.DK")
        fresh = _register(client, open_event, "bo@example.dk")

    assert again.status_code == fresh.status_code == 200
    assert again.content.decode().replace("Anna@Example.DK", "@") == fresh.content.decode().replace(
        "bo@example.dk", "@"
    )
    assert Registration.objects.filter(email_normalised="anna@example.dk").count() == 1
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert "allerede tilmeldt" in subjects["anna@example.dk"]
    assert "Bekræft" in subjects["bo@example.dk"]


def test_past_and_closed_events_refuse_registration(client, event_index):
    past = EventPageFactory(
        parent=event_index,
        start=timezone.now() - datetime.timedelta(days=3),
        end=timezone.now() - datetime.timedelta(days=3, hours=-2),
    )
    closed = EventPageFactory(
        parent=event_index, registration_closes=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "afholdt" in _register(client, past, "a@example.dk").content.decode()
    assert "lukket" in _register(client, closed, "a@example.dk").content.decode()
    assert Registration.objects.count() == 0


def test_tampered_links_are_refused_and_change_nothing(client, open_event):
    registration = services.register_for_event(open_event, name="A", email="a@example.dk")
    token = services.confirm_token(registration)
    for bad in (token[:-2] + "xx", services.cancel_token(registration), "123"):
        response = client.post(f"/arrangementer/bekraeft/{bad}/")
        assert response.status_code == 400
    response = client.post(f"/arrangementer/afmeld/{token}/")  # a confirm token cannot cancel
    assert response.status_code == 400
    assert Registration.objects.get().status == "pending"


def test_expired_confirmation_link(client, open_event, settings):
    registration = services.register_for_event(open_event, name="A", email="a@example.dk")
    settings.EVENT_CONFIRMATION_HOURS = -1
    response = client.post(f"/arrangementer/bekraeft/{services.confirm_token(registration)}/")
    assert response.status_code == 400 and "udløbet" in response.content.decode()


def test_reminders_are_sent_once(open_event):
    registration = services.register_for_event(open_event, name="A", email="a@example.dk")
    services.confirm_registration(services.confirm_token(registration))
    mail.outbox.clear()
    now = open_event.start - datetime.timedelta(days=1)
    assert services.send_reminders(now) == 1
    assert services.send_reminders(now) == 0
    assert mail.outbox[0].subject.startswith("Påmindelse")


def test_non_member_registrations_are_anonymised_after_the_retention_period(open_event, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 30
    guest = services.register_for_event(open_event, name="Gæst", email="gaest@example.dk")
    member = services.register_for_event(
        open_event, name="Medlem", email="m@vejle.dk", user=make_member(email="m@vejle.dk")
    )
    assert services.anonymise_old_registrations(open_event.end + datetime.timedelta(days=10)) == 0
    assert services.anonymise_old_registrations(open_event.end + datetime.timedelta(days=31)) == 1
    guest.refresh_from_db()
    member.refresh_from_db()
    assert guest.email == "" and guest.name == "Anonymiseret" and guest.anonymised_at
    assert member.email == "m@vejle.dk"


def test_event_pages_list_upcoming_and_past_with_filters(client, event_index):
    EventPageFactory(
        parent=event_index, title="Konferencen", event_type="conference", audience="members"
    )
    EventPageFactory(
        parent=event_index,
        title="Gammel workshop",
        event_type="workshop",
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() - datetime.timedelta(days=30, hours=-3),
    )
    upcoming = client.get(event_index.url).content.decode()
    assert "Konferencen" in upcoming and "Gammel workshop" not in upcoming
    past = client.get(event_index.url + "?vis=tidligere").content.decode()
    assert "Gammel workshop" in past
    filtered = client.get(event_index.url + "?type=workshop").content.decode()
    assert "Konferencen" not in filtered


def test_event_page_has_schema_org_json_ld(client, open_event):
    html = client.get(open_event.url).content.decode()
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    import json

    event = json.loads(data)
    assert event["@type"] == "Event" and event["location"]["name"] == "Dokk1"
    assert event["startDate"].endswith(("+01:00", "+02:00"))
    assert EventPage.objects.get().registration_state() == "open"


def _confirmation_window_passes():
    """Move every registration back past the confirmation window (48 hours)."""
    Registration.objects.update(created_at=timezone.now() - datetime.timedelta(hours=49))


def test_registering_again_after_the_confirmation_link_expired_sends_a_fresh_link(
    client, open_event
):
    _register(client, open_event, "anna@example.dk")
    _confirmation_window_passes()

    response = _register(client, open_event, "Anna@Example.dk")
    assert response.status_code == 200 and "Tjek din e-mail" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "pending" and registration.email == "Anna@Example.dk"
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["Anna@Example.dk"]
    confirmed = client.post(_link(mail.outbox[1], "bekraeft"))
    assert "Du er tilmeldt" in confirmed.content.decode()
    assert Registration.objects.get().status == "confirmed"


def test_an_unconfirmed_registration_cannot_lock_a_member_out(client, open_event):
    _register(client, open_event, "mette@vejle.dk", name="Nogen Andre")  # never confirmed
    member = make_member(email="mette@vejle.dk", first_name="Mette")
    client.force_login(member)
    response = client.post(f"/arrangementer/{open_event.pk}/tilmeld/", {"one_click": "1"})
    assert "Du er tilmeldt" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.status, registration.user, registration.name) == (
        "confirmed",
        member,
        "Mette",
    )


def test_expired_unconfirmed_registrations_hold_no_seat(client, open_event):
    for n in range(3):
        _register(client, open_event, f"p{n}@example.dk")
    _confirmation_window_passes()
    html = client.get(open_event.url).content.decode()
    assert "2 ledige pladser" in html
    assert Registration.objects.active().count() == 0


def test_a_member_registers_only_themselves_whatever_the_form_says(client, open_event):
    member = make_member(email="mette@vejle.dk", first_name="Mette")
    client.force_login(member)
    response = _register(client, open_event, "en-anden@example.dk", name="En Anden")
    assert "Du er tilmeldt" in response.content.decode()
    registration = Registration.objects.get()
    assert (registration.email, registration.user, registration.status) == (
        "mette@vejle.dk",
        member,
        "confirmed",
    )
    assert mail.outbox[0].to == ["mette@vejle.dk"]

    again = _register(client, open_event, "tredje@example.dk", name="Tredje")
    assert again.status_code == 400 and "allerede tilmeldt" in again.content.decode()
    assert Registration.objects.count() == 1


def test_a_member_account_cannot_register_another_address(open_event):
    member = make_member(email="mette@vejle.dk")
    with pytest.raises(services.RegistrationError):
        services.register_for_event(
            open_event, name="Kollega", email="kollega@vejle.dk", user=member
        )
    assert Registration.objects.count() == 0


def test_a_member_who_changed_address_is_still_registered_once(client, open_event):
    member = make_member(email="mette@vejle.dk")
    client.force_login(member)
    client.post(f"/arrangementer/{open_event.pk}/tilmeld/", {"one_click": "1"})
    member.email = "mette.hansen@vejle.dk"
    member.save()
    response = client.post(f"/arrangementer/{open_event.pk}/tilmeld/", {"one_click": "1"})
    assert response.status_code == 400 and "allerede tilmeldt" in response.content.decode()
    assert Registration.objects.count() == 1


def test_logged_in_non_members_confirm_by_email_like_everyone_else(client, open_event):
    client.force_login(UserFactory(email="offentlig@example.dk"))
    response = _register(client, open_event, "offentlig@example.dk")
    assert "Tjek din e-mail" in response.content.decode()
    registration = Registration.objects.get()
    assert registration.status == "pending" and not registration.is_member


def test_a_hostile_event_title_cannot_break_out_of_the_json_ld(client, event_index):
    import json

    hostile = '</script><script>alert("x")</script> & <b>'
    event = EventPageFactory(parent=event_index, title=hostile)
    html = client.get(event.url).content.decode()
    assert "<script>alert" not in html
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data)["name"] == hostile


def test_a_registration_deadline_without_an_end_time_is_a_form_error_not_a_crash(open_event):
    from django.core.exceptions import ValidationError

    open_event.end = None  # the editor left "slut" empty or typed something invalid
    open_event.registration_closes = open_event.start
    open_event.clean()  # nothing to compare with; the empty field reports itself
    with pytest.raises(ValidationError) as error:
        open_event.full_clean()
    assert "end" in error.value.message_dict

    open_event.end = open_event.start + datetime.timedelta(hours=3)
    open_event.registration_closes = open_event.end + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        open_event.clean()
    assert "registration_closes" in error.value.message_dict
