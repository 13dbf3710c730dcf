"""The moderators' queue in the admin, comment feeds, counts on listings, members-only pages."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from comments import services
from comments.models import Comment
from core import page_cache
from tests.factories import NewsPageFactory, UserFactory, make_member, restrict_to_members

pytestmark = pytest.mark.django_db


def _comment(page, *, body="En kommentar.", status=Comment.Status.PENDING, **fields):
    return Comment.objects.create(
        page_key=page.translation_key,
        page=page,
        name=fields.pop("name", "Lone Læser"),
        email=fields.pop("email", "lone@example.dk"),
        body=body,
        body_html=f"<p>{body}</p>",
        status=status,
        fingerprint=services.fingerprint(body),
        **fields,
    )


def _moderator():
    user = UserFactory(username="redaktor", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_comment"),
    )
    return user


def test_the_queue_shows_counts_context_and_decides_in_one_click(client, post):
    parent = _comment(post, body="Første kommentar.", status=Comment.Status.APPROVED)
    reply = _comment(post, body="Et svar på den.", parent=parent)
    spam = _comment(post, body="Køb billige ure.")
    client.force_login(_moderator())

    queue = client.get("/admin/kommentarer/").content.decode()
    assert "Til godkendelse (2)" in queue and "Godkendte (1)" in queue
    assert "Kommentarer (2)" in queue  # the menu item carries the count
    assert "Et svar på den." in queue and "Første kommentar." in queue  # reply in context
    assert post.title in queue and post.url in queue

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/admin/kommentarer/{reply.pk}/approve/")
    assert response.status_code == 302
    client.post(f"/admin/kommentarer/{spam.pk}/spam/")
    reply.refresh_from_db(), spam.refresh_from_db()
    assert (reply.status, spam.status) == ("approved", "spam")
    assert "Et svar på den." in client.get(post.url).content.decode()
    assert "Køb billige ure." not in client.get(post.url).content.decode()
    assert client.get(f"/admin/kommentarer/{spam.pk}/approve/").status_code == 405  # POST only


def test_only_moderators_reach_the_queue(client, post):
    editor = UserFactory(username="skribent", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    comment = _comment(post)
    assert client.get("/admin/kommentarer/").status_code in (302, 403)
    client.post(f"/admin/kommentarer/{comment.pk}/approve/")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_an_approved_comment_purges_the_anonymous_page_cache(client, post, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client.get(post.url)
    assert client.get(post.url)["X-Page-Cache"] == "hit"
    comment = _comment(post, body="Nu med kommentar.")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.moderate(comment, "approve", None)
    assert "Nu med kommentar." in client.get(post.url).content.decode()


def test_news_listings_show_comment_counts(client, post):
    _comment(post, status=Comment.Status.APPROVED)
    _comment(post, body="Endnu en.", status=Comment.Status.APPROVED)
    _comment(post, body="Ikke godkendt.")
    listing = client.get(post.get_parent().url).content.decode()
    assert "2 kommentarer" in listing


def test_feeds_carry_approved_comments_of_public_pages_only(client, post):
    _comment(post, body="Offentlig og godkendt.", status=Comment.Status.APPROVED)
    _comment(post, body="Venter stadig.")
    closed = NewsPageFactory(parent=post.get_parent(), title="Lukket nyhed")
    restrict_to_members(closed)
    _comment(closed, body="Kun for medlemmer.", status=Comment.Status.APPROVED)

    for client_user in (None, make_member()):
        if client_user:
            client.force_login(client_user)  # feeds are public documents, even for members
        site_feed = client.get("/kommentarer/feed/").content.decode()
        assert "Offentlig og godkendt." in site_feed
        assert "Venter stadig." not in site_feed and "Kun for medlemmer." not in site_feed
        page_feed = client.get(f"/kommentarer/feed/{post.pk}/").content.decode()
        assert "Offentlig og godkendt." in page_feed
        assert client.get(f"/kommentarer/feed/{closed.pk}/").status_code == 404


def test_comments_on_members_only_posts_are_for_members(client, post):
    restrict_to_members(post)
    _comment(post, body="Intern drøftelse.", status=Comment.Status.APPROVED)
    assert client.get(f"/kommentarer/{post.pk}/").status_code == 404
    client.force_login(UserFactory(username="borger@example.dk"))
    assert client.get(f"/kommentarer/{post.pk}/").status_code == 404
    client.force_login(make_member())
    page = client.get(post.url)
    assert "Intern drøftelse." in page.content.decode()
    assert "private" in page["Cache-Control"]


def test_reply_e_mails_never_reach_someone_who_lost_access(client, post):
    outsider = UserFactory(username="tidligere@example.dk", email="tidligere@example.dk")
    parent = _comment(post, status=Comment.Status.APPROVED, user=outsider, notify_replies=True)
    restrict_to_members(post)
    reply = _comment(post, body="Svar.", parent=parent, email="medlem@example.dk")
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.moderate(reply, "approve", None)
    assert mail.outbox == []


def _queries(client, url) -> int:
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_listing_and_post_queries_stay_constant_as_comments_grow(client, post):
    index_url = post.get_parent().url
    others = [NewsPageFactory(parent=post.get_parent()) for _ in range(3)]
    before = [_queries(client, index_url), _queries(client, post.url)]
    for page in [post, *others]:
        parent = _comment(page, body="Første.", status=Comment.Status.APPROVED)
        for n in range(3):
            _comment(page, body=f"Svar {n}.", parent=parent, status=Comment.Status.APPROVED)
    page_cache.purge()  # as approving in the admin does
    after = [_queries(client, index_url), _queries(client, post.url)]
    assert after == before
    assert "4 kommentarer" in client.get(index_url).content.decode()


def test_the_anonymous_page_cache_never_keeps_a_members_view(client, post, settings):
    settings.PAGE_CACHE_SECONDS = 60
    _comment(post, body="Offentlig kommentar.", status=Comment.Status.APPROVED)
    closed = NewsPageFactory(parent=post.get_parent(), title="Lukket")
    restrict_to_members(closed)
    _comment(closed, body="Intern kommentar.", status=Comment.Status.APPROVED)
    member = make_member()
    client.force_login(member)
    for url in (post.url, closed.url):
        response = client.get(url)
        assert "private" in response["Cache-Control"] and "X-Page-Cache" not in response
    assert "csrfmiddlewaretoken" in client.get(post.url).content.decode()  # member's form
    client.logout()
    public = client.get(post.url)
    assert "csrfmiddlewaretoken" not in public.content.decode()
    assert "Offentlig kommentar." in public.content.decode()
    assert client.get(closed.url).status_code == 302
    assert "Intern kommentar." not in client.get(post.get_parent().url).content.decode()
