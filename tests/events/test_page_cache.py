"""The anonymous page cache never shows stale free seats on an event page."""

import pytest

from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_free_seats_are_current_for_anonymous_visitors(client, django_user_model, open_event):
    from django.test import Client

    # Created first: a new member organisation purges every page (the public member list).
    member = Client()
    member.force_login(make_member())
    first = client.get(open_event.url)
    assert first["X-Page-Cache"] == "miss" and "2 ledige pladser" in first.content.decode()
    assert client.get(open_event.url)["X-Page-Cache"] == "hit"
    client.get(open_event.url + "?utm_source=nyhedsbrev")
    listing = open_event.get_parent().url
    client.get(listing)

    member.post(f"/arrangementer/{open_event.pk}/tilmeld/", {"one_click": "1"})

    after = client.get(open_event.url)
    assert after["X-Page-Cache"] == "miss" and "1 ledig plads." in after.content.decode()
    assert (
        "1 ledig plads." in client.get(open_event.url + "?utm_source=nyhedsbrev").content.decode()
    )
    assert client.get(listing)["X-Page-Cache"] == "hit"  # only the event page was purged
