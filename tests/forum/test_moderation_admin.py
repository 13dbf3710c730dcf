"""The moderators' queue in the Wagtail admin: reported posts in context, merged per post,
and the actions on them, each permission-checked."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from forum import services
from forum.models import Post, PostReport, Thread
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
QUEUE = "/admin/forum/anmeldelser/"


@pytest.fixture
def discussion(forum_category, vejle_member, member_of):
    """A thread of three posts; the third, by Ole from Aarhus, is reported by two members."""
    ole = member_of("Aarhus Kommune", username="ole@aarhus.dk", first_name="Ole", last_name="Berg")
    thread = services.start_thread(
        vejle_member, category=forum_category, title="Frivillige i ældreplejen", body="Første *ord*"
    )
    services.reply(vejle_member, thread=thread, body="Mellemste indlæg om besøgsvenner")
    reported = services.reply(ole, thread=thread, body="Et **groft** indlæg")
    reporters = [member_of(f"Anmelderkommune {n}", first_name=f"Anmelder{n}") for n in range(2)]
    services.report_post(reporters[0], post=reported, reason="Personangreb")
    services.report_post(reporters[1], post=reported, reason="Uvenlig tone")
    return thread, reported


def _action(client, post, action, **data):
    return client.post(f"/admin/forum/anmeldelser/indlaeg/{post.pk}/{action}/", data)


def test_queue_shows_each_reported_post_once_in_context(client, moderator, discussion):
    thread, reported = discussion
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()

    assert html.count(f'id="anmeldt-{reported.pk}"') == 1  # two reports, one entry
    assert "2 anmeldelser" in html
    assert "Personangreb" in html and "Uvenlig tone" in html
    assert "Frivillige i ældreplejen" in html  # the thread
    assert "Mellemste indlæg om besøgsvenner" in html  # the post before it
    assert "Et <strong>groft</strong> indlæg" in html  # rendered, not Markdown
    assert re.search(r"<strong>Ole Berg</strong>,\s*<span[^>]*>Aarhus Kommune</span>", html)
    assert f'href="/medlemmer/forum/indlaeg/{reported.pk}/"' in html
    for action in ("hide", "lock", "dismiss", "delete"):
        assert f'action="/admin/forum/anmeldelser/indlaeg/{reported.pk}/{action}/"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_menu_counts_posts_with_open_reports(client, moderator, discussion):
    client.force_login(moderator)
    assert "Forumanmeldelser (1)" in client.get("/admin/").content.decode()


def test_the_link_in_the_queue_leads_to_the_post_on_its_page(client, moderator, discussion):
    thread, reported = discussion
    for n in range(25):
        Post.objects.create(thread=thread, body_markdown=f"Senere {n}")
    first = thread.posts.order_by("created_at", "pk").first()
    client.force_login(moderator)
    response = client.get(f"/medlemmer/forum/indlaeg/{reported.pk}/")
    assert response["Location"] == f"/medlemmer/forum/traad/{thread.pk}/#indlaeg-{reported.pk}"
    last = thread.posts.order_by("created_at", "pk").last()
    response = client.get(f"/medlemmer/forum/indlaeg/{last.pk}/")
    assert response["Location"] == f"/medlemmer/forum/traad/{thread.pk}/?side=2#indlaeg-{last.pk}"
    assert first.pk != last.pk


def test_hide_takes_the_post_off_the_thread_for_members(
    client, moderator, vejle_member, discussion
):
    thread, reported = discussion
    client.force_login(moderator)
    response = _action(client, reported, "hide", vis="open")
    assert response.status_code == 302 and response["Location"] == f"{QUEUE}?vis=open"

    reported.refresh_from_db()
    assert reported.hidden
    decided = PostReport.objects.filter(post=reported)
    assert set(decided.values_list("resolution", flat=True)) == {"hidden"}
    assert set(decided.values_list("resolved_by", flat=True)) == {moderator.pk}
    assert "Ingen åbne anmeldelser." in client.get(QUEUE).content.decode()
    handled = client.get(f"{QUEUE}?vis=handled").content.decode()
    assert "Indlægget blev skjult" in handled and "Vis indlægget igen" in handled

    client.force_login(vejle_member)
    html = client.get(f"/medlemmer/forum/traad/{thread.pk}/").content.decode()
    assert "groft" not in html and "Mellemste indlæg" in html
    assert client.get(f"/medlemmer/forum/indlaeg/{reported.pk}/").status_code == 404

    client.force_login(moderator)
    _action(client, reported, "unhide")
    reported.refresh_from_db()
    assert not reported.hidden
    client.force_login(vejle_member)
    assert "groft" in client.get(f"/medlemmer/forum/traad/{thread.pk}/").content.decode()


def test_lock_and_unlock_the_thread(client, moderator, discussion):
    thread, reported = discussion
    client.force_login(moderator)
    _action(client, reported, "lock")
    thread.refresh_from_db()
    assert thread.locked
    assert "Lås tråden op" in client.get(QUEUE).content.decode()  # still open: lock decides nothing
    _action(client, reported, "unlock")
    thread.refresh_from_db()
    assert not thread.locked


def test_delete_removes_the_post_and_keeps_the_thread_right(client, moderator, discussion):
    thread, reported = discussion
    client.force_login(moderator)
    _action(client, reported, "delete")
    assert not Post.objects.filter(pk=reported.pk).exists()
    assert not PostReport.objects.exists()
    thread.refresh_from_db()
    assert thread.post_count == 2
    assert thread.last_post_at == thread.posts.order_by("created_at").last().created_at


def test_deleting_the_only_post_removes_the_thread(moderator, forum_category, vejle_member):
    thread = services.start_thread(vejle_member, category=forum_category, title="T", body="x")
    services.delete_post(moderator, thread.posts.get())
    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_dismiss_keeps_the_post_and_closes_its_reports(client, moderator, discussion):
    thread, reported = discussion
    client.force_login(moderator)
    _action(client, reported, "dismiss")
    reported.refresh_from_db()
    assert not reported.hidden
    assert set(PostReport.objects.values_list("resolution", flat=True)) == {"dismissed"}
    assert services.open_report_count() == 0


def test_only_moderators_may_act(client, discussion):
    thread, reported = discussion
    editor = UserFactory(username="redaktoer", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    refused = "/admin/"  # Wagtail's answer to a permission it lacks: back to the dashboard
    for action in services.POST_ACTIONS:
        client.force_login(editor)
        assert client.get(QUEUE)["Location"] == refused
        assert _action(client, reported, action)["Location"] == refused
        with pytest.raises(services.ForumError):
            services.moderate_post(editor, reported, action)
        client.logout()
        assert "/admin/login/" in _action(client, reported, action)["Location"]

    assert "Forumanmeldelser" not in _admin_menu(client, editor)
    reported.refresh_from_db()
    thread.refresh_from_db()
    assert not reported.hidden and not thread.locked
    assert PostReport.objects.filter(resolved=False).count() == 2


def _admin_menu(client, user) -> str:
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_actions_need_post_and_a_csrf_token(moderator, discussion):
    thread, reported = discussion
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.get(f"/admin/forum/anmeldelser/indlaeg/{reported.pk}/hide/").status_code == 405
    assert _action(client, reported, "hide").status_code == 403
    assert _action(client, reported, "explode").status_code == 403  # CSRF before anything
    client = Client()
    client.force_login(moderator)
    assert _action(client, reported, "explode").status_code == 404
    reported.refresh_from_db()
    assert not reported.hidden


def test_a_member_reports_a_post_once_and_moderators_get_one_email(
    client, moderator, discussion, member_of
):
    thread, reported = discussion
    assert len([m for m in mail.outbox if m.to == [moderator.email]]) == 1
    assert "/admin/forum/anmeldelser/" in mail.outbox[-1].body
    reporter = member_of("Odense Kommune")
    client.force_login(reporter)
    for reason in ("Spam", "Stadig spam"):
        client.post(f"/medlemmer/forum/indlaeg/{reported.pk}/anmeld/", {"reason": reason})
    assert PostReport.objects.get(reporter=reporter).reason == "Stadig spam"
    assert len([m for m in mail.outbox if m.to == [moderator.email]]) == 1


def test_members_are_limited_in_how_many_reports_they_send(
    client, discussion, member_of, rate_limits
):
    rate_limits(forum_report={"user": "2/h"})
    thread, reported = discussion
    client.force_login(member_of("Odense Kommune"))
    for post in thread.posts.all():
        client.post(f"/medlemmer/forum/indlaeg/{post.pk}/anmeld/", {"reason": "Spam"})
    assert PostReport.objects.count() == 2 + 2  # the discussion's two, and two of these three
