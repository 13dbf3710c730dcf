"""Registration is rate limited per visitor, also behind the nginx reverse proxy."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip
from events.models import Registration

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # nginx on the same machine, as in the README


def _post_from(client, event, visitor_ip, email="ikke-en-adresse"):
    return client.post(
        f"/arrangementer/{event.pk}/tilmeld/",
        {"name": "Anna", "email": email},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=visitor_ip,
    )


def test_one_busy_visitor_behind_the_proxy_does_not_block_everyone(client, open_event, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(20):
        _post_from(client, open_event, "203.0.113.5")
    limited = _post_from(client, open_event, "203.0.113.5", email="anna@example.dk")
    assert "For mange tilmeldinger" in limited.content.decode()

    other = _post_from(client, open_event, "198.51.100.7", email="bo@example.dk")
    assert "Tjek din e-mail" in other.content.decode()
    assert list(Registration.objects.values_list("email", flat=True)) == ["bo@example.dk"]


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "expected"),
    [
        (0, "198.51.100.7", "203.0.113.5", "198.51.100.7"),  # no proxy: header is ignored
        (1, PROXY, "203.0.113.5", "203.0.113.5"),
        (1, PROXY, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged first entry is skipped
        (2, PROXY, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # load balancer + nginx
        (1, PROXY, "", PROXY),  # straight to the app server (health check)
        (1, PROXY, "ikke-en-ip", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_trusts_only_our_own_proxies(
    settings, proxies, remote_addr, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected
