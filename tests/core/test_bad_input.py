"""Bad input answers 400/404, never 500 (issue 11 item 5, the parts outside search)."""

from __future__ import annotations

import pytest

from core.bad_input import object_id
from forum.models import Category, Post, Thread
from tests.factories import EventIndexPageFactory, EventPageFactory, make_member

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


@pytest.fixture
def event(home_page):
    return EventPageFactory(parent=EventIndexPageFactory(parent=home_page))


def test_nul_in_the_events_theme_filter_is_a_clear_400(client, event):
    response = client.get("/arrangementer/?tema=a%00b")
    assert response.status_code == 400
    assert "Ugyldig forespørgsel" in response.content.decode()


def test_nul_in_any_form_field_is_a_400(client, event):
    response = client.post(
        f"/arrangementer/{event.pk}/tilmeld/", {"name": "Bo\x00", "email": "bo@example.dk"}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("suffix", ["tilmeld/", "kalender.ics"])
def test_event_ids_too_large_for_an_integer_are_404(client, event, suffix):
    assert client.get(f"/arrangementer/{HUGE}/{suffix}").status_code == 404
    assert client.get(f"/arrangementer/{event.pk}/{suffix}").status_code == 200


def test_huge_numbers_in_the_theme_filter_just_find_nothing(client, event):
    response = client.get(f"/arrangementer/?tema={HUGE}")
    assert response.status_code == 200


@pytest.fixture
def forum(home_page):
    category = Category.objects.create(name="Partnerskaber", slug="partnerskaber")
    thread = Thread.objects.create(category=category, title="Tråd")
    post = Post.objects.create(thread=thread, body_markdown="Indlæg")
    return category, thread, post


@pytest.mark.parametrize("field", ["thread", "category"])
@pytest.mark.parametrize("value", ["abc", HUGE, "1.5", "-1"])
def test_forum_follow_with_a_non_numeric_id_is_a_400(client, forum, field, value):
    client.force_login(make_member())
    response = client.post("/medlemmer/forum/foelg/", {field: value})
    assert response.status_code == 400


def test_forum_follow_still_works(client, forum):
    _category, thread, _post = forum
    client.force_login(make_member())
    response = client.post("/medlemmer/forum/foelg/", {"thread": str(thread.pk)})
    assert response.status_code == 302


@pytest.mark.parametrize("value", ["abc", HUGE])
def test_moderating_a_non_numeric_post_is_a_400(client, forum, value):
    from django.contrib.auth.models import Permission

    _category, thread, _post = forum
    moderator = make_member()
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_thread"))
    client.force_login(moderator)
    response = client.post(
        f"/medlemmer/forum/traad/{thread.pk}/moderer/", {"action": "hide_post", "post": value}
    )
    assert response.status_code == 400


def test_forum_ids_too_large_are_404(client, forum):
    client.force_login(make_member())
    assert client.get(f"/medlemmer/forum/traad/{HUGE}/").status_code == 404


def test_object_id_accepts_ids_only():
    assert object_id("42") == 42
    assert object_id(" 7 ") == 7
    for bad in ("", "abc", HUGE, "-1", "1e3", None, "٣"):
        assert object_id(bad) is None
