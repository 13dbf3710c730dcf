"""Absolute links in e-mails come from one place (core.site_address)."""

import re

import pytest
from django.core import mail

from core.checks import base_url_is_set
from core.site_address import forget_served_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_address():
    forget_served_address()
    yield
    forget_served_address()


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_production_links_use_base_url_whatever_host_the_request_came_on(
    client, open_event, settings
):
    settings.BASE_URL = "https://socialinnovation.dk"
    client.post(
        f"/arrangementer/{open_event.pk}/tilmeld/",
        {"name": "Anna", "email": "anna@example.dk"},
        HTTP_HOST="127.0.0.1:8123",
    )
    links = _links(mail.outbox[0])
    assert links and all(link.startswith("https://socialinnovation.dk/") for link in links)


def test_the_embedded_default_links_to_the_address_the_site_is_served_on(
    client, open_event, settings
):
    settings.BASE_URL = ""
    client.post(
        f"/arrangementer/{open_event.pk}/tilmeld/",
        {"name": "Anna", "email": "anna@example.dk"},
        HTTP_HOST="127.0.0.1:8123",
    )
    pending = mail.outbox[0]
    links = _links(pending)
    assert links and all(link.startswith("http://127.0.0.1:8123/") for link in links)
    confirm = re.search(r"http://\S+/bekraeft/\S+/", pending.body).group(0)
    client.post(confirm.removeprefix("http://127.0.0.1:8123"), HTTP_HOST="127.0.0.1:8123")
    confirmed = mail.outbox[1]
    assert f"http://127.0.0.1:8123{open_event.url}" in confirmed.body
    ics = confirmed.attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert f"URL:http://127.0.0.1:8123{open_event.url}" in ics.replace("\r\n ", "")
    assert "localhost" not in confirmed.body


def test_before_any_request_the_runserver_address_is_used(open_event, settings):
    from events import services

    settings.BASE_URL = ""
    settings.DEV_SERVER_URL = "http://192.0.2.10:8000"
    services.register_for_event(open_event, name="Anna", email="anna@example.dk")
    assert all(link.startswith("http://192.0.2.10:8000/") for link in _links(mail.outbox[0]))


def test_deploy_check_warns_without_base_url(settings):
    settings.BASE_URL = ""
    assert [w.id for w in base_url_is_set(None)] == ["core.W001"]
    settings.BASE_URL = "https://socialinnovation.dk"
    assert base_url_is_set(None) == []
