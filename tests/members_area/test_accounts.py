import re

import pytest
from django.core import mail, signing
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from members_area.access import is_member
from members_area.models import Invitation, MemberOrganisation
from members_area.services import INVITATION_SALT, invitation_url, invite_member
from tests.factories import DEFAULT_PASSWORD, MemberOrganisationFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db
LOGIN = "/medlemmer/log-ind/"


def _link(message) -> str:
    return re.sub(r"^http://[^/]+", "", re.search(r"http://\S+", message.body).group(0))


def test_member_logs_in_and_the_session_is_cycled(client, home_page):
    member = make_member(username="mette@vejle.dk")
    client.get(LOGIN)
    client.cookies["sessionid"] = "fixated-session-id"
    response = client.post(LOGIN, {"username": "mette@vejle.dk", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/medlemmer/"
    assert client.cookies["sessionid"].value != "fixated-session-id"
    assert "Velkommen, " in client.get("/medlemmer/").content.decode()
    assert member.check_password(DEFAULT_PASSWORD)


def test_repeated_failures_lock_out_username_from_that_address(client, home_page):
    make_member(username="lise@odense.dk")
    for _ in range(5):
        client.post(LOGIN, {"username": "lise@odense.dk", "password": "forkert"})
    locked = client.post(LOGIN, {"username": "lise@odense.dk", "password": DEFAULT_PASSWORD})
    assert locked.status_code == 429
    assert "For mange forsøg" in locked.content.decode()
    # Another address is not locked out.
    other = client.post(
        LOGIN, {"username": "lise@odense.dk", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 302


def test_password_reset_answers_the_same_for_unknown_addresses(
    client, home_page, django_capture_on_commit_callbacks
):
    make_member(username="kendt@aalborg.dk", email="kendt@aalborg.dk")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/medlemmer/glemt-adgangskode/", {"email": "kendt@aalborg.dk"})
        unknown = client.post("/medlemmer/glemt-adgangskode/", {"email": "ukendt@aalborg.dk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [["kendt@aalborg.dk"]]

    form_page = client.get(_link(mail.outbox[0]), follow=True)
    new_password = "en-helt-ny-adgangskode-42"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    login = client.post(LOGIN, {"username": "kendt@aalborg.dk", "password": new_password})
    assert login.status_code == 302


def test_invitation_creates_a_member_account_once(client, home_page):
    organisation = MemberOrganisationFactory(name="Holstebro Kommune")
    invite_member(email="Ny@Holstebro.dk", organisation=organisation, first_name="Nina")
    assert mail.outbox[0].to == ["ny@holstebro.dk"]
    link = _link(mail.outbox[0])
    page = client.get(link).content.decode()
    assert "Holstebro Kommune" in page

    data = {
        "first_name": "Nina",
        "last_name": "Nielsen",
        "password1": "sikker-adgangskode-2026",
        "password2": "sikker-adgangskode-2026",
    }
    response = client.post(link, data)
    assert response.status_code == 302 and response["Location"] == "/medlemmer/"
    user = Invitation.objects.get().user
    assert is_member(user) and user.member_profile.organisation == organisation

    client.logout()
    reused = client.get(link)
    assert reused.status_code == 400 and "allerede brugt" in reused.content.decode()


def test_weak_password_keeps_the_invitation_open(client, home_page):
    invite_member(email="a@b.dk", organisation=MemberOrganisationFactory())
    link = _link(mail.outbox[0])
    response = client.post(
        link, {"first_name": "A", "last_name": "B", "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None


def test_tampered_and_expired_invitation_links_are_refused(client, home_page):
    invitation = invite_member(email="c@d.dk", organisation=MemberOrganisationFactory())
    link = _link(mail.outbox[0])
    tampered = client.get(link[:-3] + "abc/")
    assert tampered.status_code == 400 and "ugyldigt" in tampered.content.decode()
    other_pk = signing.TimestampSigner(salt="other").sign(str(invitation.pk))
    assert client.get(f"/medlemmer/invitation/{other_pk}/").status_code == 400

    with override_settings(MEMBER_INVITATION_DAYS=-1):
        expired = client.get(link)
    assert expired.status_code == 400 and "udløbet" in expired.content.decode()
    assert INVITATION_SALT in "members_area.invitation"  # the salt is namespaced
    assert invitation_url(invitation).startswith("http")


def test_ending_an_organisations_membership_removes_access_on_next_request(client, home_page):
    organisation = MemberOrganisationFactory()
    member = make_member(organisation=organisation)
    client.force_login(member)
    assert client.get("/medlemmer/").status_code == 200

    MemberOrganisation.objects.filter(pk=organisation.pk).update(status="ended")
    response = client.get("/medlemmer/")
    assert response.status_code == 403
    member.refresh_from_db()
    assert not is_member(member)


def test_non_member_account_is_refused_the_members_area(client, home_page):
    client.force_login(UserFactory())
    assert client.get("/medlemmer/").status_code == 403
    client.logout()
    assert client.get("/medlemmer/")["Location"].startswith(LOGIN)


def test_member_downloads_personal_data_and_erases_it(client, home_page):
    member = make_member(username="gdpr@vejle.dk", email="gdpr@vejle.dk", first_name="Gitte")
    client.force_login(member)
    export = client.get("/medlemmer/mine-data/")
    assert export["Content-Type"].startswith("application/json")
    data = export.json()
    assert data["account"]["email"] == "gdpr@vejle.dk"
    assert data["account"]["first_name"] == "Gitte"

    wrong = client.post("/medlemmer/slet-min-konto/", {"password": "forkert"})
    assert wrong.status_code == 200
    member.refresh_from_db()
    assert member.is_active

    client.post("/medlemmer/slet-min-konto/", {"password": DEFAULT_PASSWORD})
    member.refresh_from_db()
    assert not member.is_active and member.email == "" and member.first_name == ""
    assert "gdpr" not in member.username
    again = client.post(LOGIN, {"username": "gdpr@vejle.dk", "password": DEFAULT_PASSWORD})
    assert again.status_code == 200 and "forkert" in again.content.decode()


def test_profile_keeps_preferences(client, home_page):
    member = make_member()
    client.force_login(member)
    response = client.post(
        "/medlemmer/profil/",
        {
            "first_name": "Karen",
            "last_name": "Kommune",
            "job_title": "Konsulent",
            "event_news": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.first_name == "Karen"
    assert member.member_profile.forum_notifications is False
    assert member.member_profile.event_news is True


def test_password_reset_request_does_the_same_work_for_known_and_unknown_addresses(
    client, home_page, django_capture_on_commit_callbacks
):
    """Only a job is queued while the visitor waits; the lookup and the e-mail come later."""
    make_member(username="kendt@vejle.dk", email="kendt@vejle.dk")
    with (
        django_capture_on_commit_callbacks() as queued,
        CaptureQueriesContext(connection) as known_queries,
    ):
        known = client.post("/medlemmer/glemt-adgangskode/", {"email": "kendt@vejle.dk"})
    with (
        django_capture_on_commit_callbacks() as queued_unknown,
        CaptureQueriesContext(connection) as unknown_queries,
    ):
        unknown = client.post("/medlemmer/glemt-adgangskode/", {"email": "ukendt@vejle.dk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(known_queries) == len(unknown_queries)
    assert len(queued) == len(queued_unknown) == 1
    assert mail.outbox == []  # nothing was sent while the visitor waited

    for job in queued + queued_unknown:
        job()
    assert [m.to for m in mail.outbox] == [["kendt@vejle.dk"]]
    done = client.get(known["Location"]).content.decode()
    assert done == client.get(unknown["Location"]).content.decode()


def test_one_address_trying_many_accounts_is_slowed_down(client, home_page):
    for attempt in range(20):
        response = client.post(LOGIN, {"username": f"gaet{attempt}@example.dk", "password": "x"})
        assert response.status_code == 200
    blocked = client.post(LOGIN, {"username": "gaet99@example.dk", "password": "x"})
    assert blocked.status_code == 429
    assert "For mange loginforsøg fra din adresse" in blocked.content.decode()
    # Someone else, from another address, still logs in.
    make_member(username="anden@vejle.dk")
    other = client.post(
        LOGIN, {"username": "anden@vejle.dk", "password": DEFAULT_PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert other.status_code == 302


def test_colleagues_behind_one_address_can_all_log_in(client, home_page):
    """Only failed logins count: a municipality's office shares one public address."""
    for n in range(25):
        make_member(username=f"kollega{n}@vejle.dk")
        response = client.post(
            LOGIN, {"username": f"kollega{n}@vejle.dk", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302, n
        client.post("/medlemmer/log-ud/")


def test_password_reset_requests_are_limited_per_address(client, home_page):
    for n in range(5):
        response = client.post("/medlemmer/glemt-adgangskode/", {"email": f"p{n}@example.dk"})
        assert response.status_code == 302
    blocked = client.post("/medlemmer/glemt-adgangskode/", {"email": "p9@example.dk"})
    assert blocked.status_code == 429
    assert "For mange anmodninger om ny adgangskode" in blocked.content.decode()
    elsewhere = client.post(
        "/medlemmer/glemt-adgangskode/", {"email": "p9@example.dk"}, REMOTE_ADDR="10.1.2.3"
    )
    assert elsewhere.status_code == 302


def test_an_invitation_does_not_reopen_an_account_an_administrator_closed(client, home_page):
    closed = make_member(username="lukket@vejle.dk", email="lukket@vejle.dk")
    closed.is_active = False
    closed.save()
    invite_member(email="lukket@vejle.dk", organisation=MemberOrganisationFactory())
    link = _link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 400 and "lukket af en administrator" in page.content.decode()
    response = client.post(
        link,
        {
            "first_name": "Lars",
            "last_name": "Lukket",
            "password1": "sikker-adgangskode-2026",
            "password2": "sikker-adgangskode-2026",
        },
    )
    assert response.status_code == 400 and "lukket af en administrator" in response.content.decode()
    closed.refresh_from_db()
    assert not closed.is_active and closed.check_password(DEFAULT_PASSWORD)
    assert Invitation.objects.get().accepted_at is None


def test_profile_shows_the_members_organisation(client, home_page):
    member = make_member(organisation=MemberOrganisationFactory(name="Herning Kommune"))
    client.force_login(member)
    html = client.get("/medlemmer/profil/").content.decode()
    assert "Organisation" in html and "Herning Kommune" in html


def test_the_admins_password_reset_shares_the_members_limits_and_job(
    client, home_page, django_capture_on_commit_callbacks
):
    """The Wagtail admin's "forgot password" was unlimited and sidestepped the members'
    limit: now both count against one budget per address and queue the same job."""
    make_member(username="kendt@vejle.dk", email="kendt@vejle.dk")
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/admin/password_reset/", {"email": "kendt@vejle.dk"}, REMOTE_ADDR=f"10.0.0.{n}"
            )
        assert response.status_code == 302
    for n in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/medlemmer/glemt-adgangskode/",
                {"email": "kendt@vejle.dk"},
                REMOTE_ADDR=f"10.0.1.{n}",
            )

    assert [m.to for m in mail.outbox] == [["kendt@vejle.dk"]] * 5  # 5 an hour per address
    assert "/medlemmer/" in mail.outbox[0].body  # the members' reset link, one flow
