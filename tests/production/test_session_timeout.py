"""Signed-in sessions end when idle and after an absolute lifetime (issue 11 item 14)."""

from __future__ import annotations

import time

import pytest

from config.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db


def _age_session(client, *, idle: int = 0, since_login: int = 0) -> None:
    session = client.session
    now = int(time.time())
    session[SESSION_SEEN_KEY] = now - idle
    session[SESSION_STARTED_KEY] = now - since_login
    session.save()


def test_editor_idle_for_over_two_hours_is_signed_out(client, home_page):
    editor = UserFactory(username="redaktoer", is_staff=True, is_superuser=True)
    client.force_login(editor)
    client.get("/")
    _age_session(client, idle=2 * 60 * 60 + 60, since_login=3 * 60 * 60)

    response = client.get("/admin/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_editor_active_within_two_hours_stays_signed_in(client, home_page):
    editor = UserFactory(username="redaktoer", is_staff=True, is_superuser=True)
    client.force_login(editor)
    client.get("/")
    _age_session(client, idle=60 * 60, since_login=60 * 60)
    assert client.get("/admin/").status_code == 200


def test_member_idle_for_an_hour_stays_but_not_for_a_day(client, home_page):
    client.force_login(make_member())
    client.get("/")
    _age_session(client, idle=60 * 60, since_login=60 * 60)
    assert client.get("/medlemmer/").status_code == 200

    _age_session(client, idle=25 * 60 * 60, since_login=25 * 60 * 60)
    assert client.get("/medlemmer/").status_code == 302


def test_even_an_active_session_ends_after_its_absolute_lifetime(client, home_page, settings):
    client.force_login(make_member())
    client.get("/")
    _age_session(client, idle=0, since_login=settings.SESSION_MAX_SECONDS + 60)
    assert client.get("/medlemmer/").status_code == 302
    assert settings.SESSION_COOKIE_AGE <= 7 * 24 * 60 * 60
