"""Editors reach the Wagtail admin only after a second factor (TOTP)."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DEFAULT_PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.ADMIN_2FA_REQUIRED = True


@pytest.fixture
def editor(home_page):
    return UserFactory(username="redaktoer", is_staff=True, is_superuser=True)


def _current_code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_password_alone_never_reaches_the_admin(client, editor):
    client.force_login(editor)

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/2fa/setup/?next=/admin/pages/")


def test_enrolment_shows_a_qr_code_and_a_valid_code_opens_the_admin(client, editor):
    client.force_login(editor)

    page = client.get("/admin/2fa/setup/?next=/admin/")
    assert page.status_code == 200
    assert b"<svg" in page.content
    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed

    wrong = client.post(
        "/admin/2fa/setup/", {"password": DEFAULT_PASSWORD, "token": "000000", "next": "/admin/"}
    )
    assert wrong.status_code == 200
    assert "Koden er forkert" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    # django-otp throttles after a failure (1 s, then doubling); skip the wait.
    device.refresh_from_db()
    device.throttle_reset()

    ok = client.post(
        "/admin/2fa/setup/",
        {"password": DEFAULT_PASSWORD, "token": _current_code(device), "next": "/admin/"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert client.get("/admin/account/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_enrolled_editor_must_enter_a_code_in_every_new_session(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    client.force_login(editor)

    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/2fa/verify/")

    refused = client.post("/admin/2fa/verify/", {"token": "123456", "next": "/admin/"})
    assert refused.status_code == 200
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()

    accepted = client.post(
        "/admin/2fa/verify/", {"token": _current_code(device), "next": "/admin/"}
    )
    assert accepted["Location"] == "/admin/"
    assert client.get("/admin/account/").status_code == 200


def test_next_parameter_cannot_redirect_off_site(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    client.force_login(editor)

    response = client.post(
        "/admin/2fa/verify/", {"token": _current_code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/admin/"


def test_members_without_admin_access_are_not_asked_for_a_code(client, home_page):
    member = MemberFactory()
    client.force_login(member)

    response = client.get("/admin/")

    # Wagtail's own permission check answers (redirect to its login), not our 2FA step.
    assert "/admin/2fa/" not in response.get("Location", "")


def test_wagtail_password_login_is_reachable_before_the_second_factor(client, editor):
    assert client.get("/admin/login/").status_code == 200


# --- Enrolment hardening (issue 11 items 12 and 14) ------------------------------------------


def test_accounts_without_admin_access_cannot_enrol_or_see_a_secret(client, home_page):
    client.force_login(MemberFactory())

    assert client.get("/admin/2fa/setup/").status_code == 403
    assert client.post("/admin/2fa/setup/", {"token": "123456"}).status_code == 403
    assert client.get("/admin/2fa/verify/").status_code == 403
    assert not TOTPDevice.objects.exists()


def test_enrolment_needs_the_password_again_as_well_as_a_code(client, editor):
    client.force_login(editor)
    client.get("/admin/2fa/setup/")
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(
        "/admin/2fa/setup/",
        {"password": "ikke-min-kode", "token": _current_code(device), "next": "/admin/"},
    )

    assert response.status_code == 200
    assert "Adgangskoden er forkert" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/admin/").status_code == 302


def test_an_unconfirmed_secret_is_never_shown_again(client, editor):
    client.force_login(editor)
    first = client.get("/admin/2fa/setup/")
    old_device = TOTPDevice.objects.get(user=editor)
    second = client.get("/admin/2fa/setup/")

    assert first.context["secret"] != second.context["secret"]
    assert first.context["secret"] not in second.content.decode()
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_a_secret_shown_in_another_session_is_not_accepted(client, editor):
    """Whoever saw the secret elsewhere cannot confirm it from this session."""
    other = type(client)()
    other.force_login(editor)
    other.get("/admin/2fa/setup/")
    leaked = TOTPDevice.objects.get(user=editor)

    client.force_login(editor)
    response = client.post(
        "/admin/2fa/setup/",
        {"password": DEFAULT_PASSWORD, "token": _current_code(leaked), "next": "/admin/"},
    )

    assert response.status_code == 200
    assert "Opsætningen er udløbet" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
