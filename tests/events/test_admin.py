"""Editors manage registrations in the Wagtail admin (wagtail-modeladmin)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client

from events import services
from events.models import Registration
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_event(open_event):
    """Two confirmed (capacity 2) and two on the waiting list, in the order they came."""
    people = []
    for n in range(4):
        registration = services.register_for_event(
            open_event, name=f"P{n}", email=f"p{n}@example.dk"
        )
        people.append(services.confirm_registration(services.confirm_token(registration)))
    mail.outbox.clear()
    return people


@pytest.fixture
def editor():
    return UserFactory(username="redaktoer", is_staff=True, is_superuser=True)


def _statuses():
    return dict(Registration.objects.values_list("email", "status"))


def test_promoting_from_the_waiting_list_needs_a_confirmed_post(full_event, editor):
    waiting = full_event[3]
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    url = f"/admin/tilmeldinger/{waiting.pk}/ryk-op/"

    page = client.get(url)  # following the button (or a prefetching mail scanner)
    assert page.status_code == 200 and "Ja, giv en plads" in page.content.decode()
    assert _statuses()["p3@example.dk"] == "waitlisted"

    assert client.post(url).status_code == 403  # no CSRF token: a forged request
    assert _statuses()["p3@example.dk"] == "waitlisted"

    response = client.post(url, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})
    assert response.status_code == 302
    assert _statuses()["p3@example.dk"] == "confirmed"
    assert [m.to for m in mail.outbox] == [["p3@example.dk"]]


def test_editors_without_the_change_permission_cannot_promote(client, full_event):
    reader = UserFactory(username="laeser", is_staff=True)
    group = Group.objects.create(name="Kun adgang til admin")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    reader.groups.add(group)
    client.force_login(reader)
    url = f"/admin/tilmeldinger/{full_event[3].pk}/ryk-op/"
    for response in (client.get(url), client.post(url)):  # Wagtail: back to the dashboard
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert _statuses()["p3@example.dk"] == "waitlisted"


def test_deleting_a_confirmed_registration_gives_the_seat_to_the_next_in_line(
    client, full_event, editor
):
    client.force_login(editor)
    response = client.post(f"/admin/events/registration/delete/{full_event[0].pk}/")
    assert response.status_code == 302
    assert _statuses() == {
        "p1@example.dk": "confirmed",
        "p2@example.dk": "confirmed",
        "p3@example.dk": "waitlisted",
    }
    assert [m.to for m in mail.outbox] == [["p2@example.dk"]]
    assert "plads ledig" in mail.outbox[0].body


def test_deleting_someone_on_the_waiting_list_promotes_nobody(client, full_event, editor):
    client.force_login(editor)
    client.post(f"/admin/events/registration/delete/{full_event[2].pk}/")
    assert _statuses() == {
        "p0@example.dk": "confirmed",
        "p1@example.dk": "confirmed",
        "p3@example.dk": "waitlisted",
    }
    assert mail.outbox == []
