"""Login lockout keys on username + the real client address, also behind our proxy (issue 11/1).

Behind nginx every request arrives from 127.0.0.1; if django-axes keyed on REMOTE_ADDR, five
wrong passwords from anyone would lock the username for everyone.
"""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory, make_member

pytestmark = pytest.mark.django_db
LOGIN = "/medlemmer/log-ind/"
PROXY = "127.0.0.1"


def _post(client, password, client_address, login=LOGIN, username="lise@odense.dk"):
    return client.post(
        login,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_attacker_behind_the_proxy_does_not_lock_out_the_member(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_member(username="lise@odense.dk")
    for _ in range(6):
        _post(client, "forkert", "203.0.113.66")
    assert _post(client, DEFAULT_PASSWORD, "203.0.113.66").status_code == 429

    client.logout()
    victim = _post(client, DEFAULT_PASSWORD, "198.51.100.7")
    assert victim.status_code == 302 and victim["Location"] == "/medlemmer/"


def test_a_forged_forwarded_for_does_not_escape_the_lockout(client, home_page, settings):
    """Only the entry our proxy appended counts; what the client wrote left of it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    make_member(username="lise@odense.dk")
    for attempt in range(6):
        _post(client, "forkert", f"10.0.0.{attempt}, 203.0.113.66")
    assert _post(client, DEFAULT_PASSWORD, "10.0.0.99, 203.0.113.66").status_code == 429


def test_without_a_trusted_proxy_forwarded_for_is_ignored(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_member(username="lise@odense.dk")
    for attempt in range(6):
        _post(client, "forkert", f"198.51.100.{attempt}")
    # All came from one peer: changing the header does not help the attacker.
    assert _post(client, DEFAULT_PASSWORD, "198.51.100.200").status_code == 429


def test_editor_admin_login_is_keyed_on_the_real_client_too(client, home_page, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="redaktoer", is_staff=True, is_superuser=True)
    for _ in range(6):
        _post(client, "forkert", "203.0.113.66", login="/admin/login/", username="redaktoer")
    victim = _post(
        client, DEFAULT_PASSWORD, "198.51.100.7", login="/admin/login/", username="redaktoer"
    )
    assert victim.status_code == 302
