"""Every member has a forum flood limit, not only new accounts (issue 11 item 14)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from forum import services
from forum.models import Category
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_established_members_are_flood_limited_too(client, home_page, settings):
    settings.FORUM_MEMBER_POSTS = 3
    category = Category.objects.create(name="Partnerskaber", slug="partnerskaber")
    veteran = make_member()
    veteran.date_joined = timezone.now() - datetime.timedelta(days=400)
    veteran.save(update_fields=["date_joined"])
    client.force_login(veteran)
    thread = services.start_thread(veteran, category=category, title="T", body="1")
    services.reply(veteran, thread=thread, body="2")
    services.reply(veteran, thread=thread, body="3")

    response = client.post(f"/medlemmer/forum/traad/{thread.pk}/", {"body": "Mit fjerde svar"})

    html = response.content.decode()
    assert response.status_code == 400 and "Du kan skrive højst 3 indlæg på 10 minutter" in html
    assert "Mit fjerde svar" in html  # the text is kept
    assert thread.posts.count() == 3
