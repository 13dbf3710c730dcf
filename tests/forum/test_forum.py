import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from core.outbox.models import OutboundEmail
from core.outbox.services import deliver_due
from forum import services
from forum.models import Category, Post, PostReport, Thread
from forum.tasks import notify_subscribers_task
from members_area.models import MemberOrganisation
from tests.factories import MemberOrganisationFactory, UserFactory, make_member
from tests.smtp import ScriptedSMTPServer

pytestmark = pytest.mark.django_db
MARKER = "Forummarkoer5521"

XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)></svg>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<a href="jav&#x61;script:alert(1)">a</a>',
    '<a href="javascript&colon;alert(1)">b</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">s</p>',
    '<div onmouseover="alert(1)">hover</div>',
    '![billede](x" onerror="alert(1))',
    '<object data="x.swf"></object>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<form action="https://evil.example"><button>ok</button></form>',
    "`<script>alert(1)</script>`",
]
DANGEROUS = re.compile(
    r"<script|<iframe|<svg|<object|<form|<img|\son\w+\s*=|javascript:|data:text|style=",
    re.IGNORECASE,
)


@pytest.fixture
def category():
    return Category.objects.create(name="Partnerskaber", slug="partnerskaber")


@pytest.fixture
def member(client, home_page):
    user = make_member(username="mette@vejle.dk", email="mette@vejle.dk")
    user.date_joined = timezone.now() - datetime.timedelta(days=60)
    user.save()
    client.force_login(user)
    return user


def _post_body_html(html: str) -> str:
    return "".join(re.findall(r'<div class="forum-post__body">(.*?)</div>', html, re.S))


def test_member_starts_a_thread_and_replies(client, member, category):
    response = client.post(
        f"/medlemmer/forum/kategori/{category.slug}/ny-traad/",
        {"title": "Skabelon til aftaler", "body": "Har nogen **en skabelon**?"},
    )
    thread = Thread.objects.get()
    assert response["Location"] == f"/medlemmer/forum/traad/{thread.pk}/"
    client.post(f"/medlemmer/forum/traad/{thread.pk}/", {"body": "Ja, *vi* har en."})
    html = client.get(f"/medlemmer/forum/traad/{thread.pk}/").content.decode()
    assert "<strong>en skabelon</strong>" in html and "<em>vi</em>" in html
    thread.refresh_from_db()
    assert thread.post_count == 2


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives_the_forum_form(client, member, category, payload):
    client.post(
        f"/medlemmer/forum/kategori/{category.slug}/ny-traad/",
        {"title": "XSS", "body": f"før {payload} efter"},
    )
    thread = Thread.objects.get()
    body = _post_body_html(client.get(f"/medlemmer/forum/traad/{thread.pk}/").content.decode())
    assert "før" in body  # the post itself is kept, only the dangerous parts go
    assert not DANGEROUS.search(body), body


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_script_survives_direct_model_writes(category, payload):
    thread = Thread.objects.create(category=category, title="t")
    post = Post.objects.create(thread=thread, body_markdown=payload)
    assert not DANGEROUS.search(post.body_html), post.body_html
    Post.objects.filter(pk=post.pk).update(body_markdown="<script>x</script>")
    post.refresh_from_db()
    post.save()  # any later save re-renders from the stored markdown
    assert "<script" not in post.body_html


def test_links_are_kept_but_marked_nofollow(category):
    post = Post.objects.create(
        thread=Thread.objects.create(category=category, title="t"),
        body_markdown="[KL](https://www.kl.dk)",
    )
    assert '<a href="https://www.kl.dk" rel="nofollow noopener ugc">KL</a>' in post.body_html


def test_forum_is_closed_to_everyone_but_members(client, home_page, category):
    thread = Thread.objects.create(category=category, title=f"Tråd {MARKER}")
    Post.objects.create(thread=thread, body_markdown=MARKER)
    # The search query is lower case: the language links echo it, the content would not.
    urls = [
        "/medlemmer/forum/",
        f"/medlemmer/forum/traad/{thread.pk}/",
        f"/medlemmer/forum/soeg/?q={MARKER.lower()}",
        f"/medlemmer/forum/kategori/{category.slug}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and MARKER not in response.content.decode()
    client.force_login(UserFactory())
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and MARKER not in response.content.decode()


def test_own_post_can_be_edited_only_within_the_window(client, member, category):
    thread = services.start_thread(member, category=category, title="T", body="Første udgave")
    post = thread.posts.get()
    client.post(f"/medlemmer/forum/indlaeg/{post.pk}/ret/", {"body": "Rettet udgave"})
    post.refresh_from_db()
    assert post.body_markdown == "Rettet udgave" and post.edited_at

    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    client.post(f"/medlemmer/forum/indlaeg/{post.pk}/ret/", {"body": "For sent"})
    post.refresh_from_db()
    assert post.body_markdown == "Rettet udgave"

    other = make_member()
    with pytest.raises(services.ForumError):
        services.edit_post(other, post=post, body="Ikke min")


def test_moderators_pin_lock_hide_and_move(client, member, category):
    moderator = make_member(username="moderator@example.dk")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_thread"))
    thread = services.start_thread(member, category=category, title="Debat", body="Indlæg")
    other = Category.objects.create(name="Andet", slug="andet")

    client.force_login(moderator)
    for action in ("pin", "lock"):
        client.post(f"/medlemmer/forum/traad/{thread.pk}/moderer/", {"action": action})
    client.post(
        f"/medlemmer/forum/traad/{thread.pk}/moderer/", {"action": "move", "category": other.pk}
    )
    thread.refresh_from_db()
    assert thread.pinned and thread.locked and thread.category == other

    client.force_login(member)
    response = client.post(f"/medlemmer/forum/traad/{thread.pk}/", {"body": "Må jeg svare?"})
    assert response.status_code == 400 and "Tråden er låst" in response.content.decode()
    assert thread.posts.count() == 1
    client.post(f"/medlemmer/forum/traad/{thread.pk}/moderer/", {"action": "hide"})
    thread.refresh_from_db()
    assert not thread.hidden  # members cannot moderate

    client.force_login(moderator)
    client.post(f"/medlemmer/forum/traad/{thread.pk}/moderer/", {"action": "hide"})
    client.force_login(member)
    assert client.get(f"/medlemmer/forum/traad/{thread.pk}/").status_code == 404


def test_reporting_a_post_notifies_moderators(client, member, category):
    moderator = make_member(username="mod@example.dk", email="mod@example.dk")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_thread"))
    thread = services.start_thread(member, category=category, title="T", body="Grimt indlæg")
    mail.outbox.clear()
    client.post(f"/medlemmer/forum/indlaeg/{thread.posts.get().pk}/anmeld/", {"reason": "Uvenligt"})
    assert PostReport.objects.get().reason == "Uvenligt"
    assert mail.outbox[0].to == ["mod@example.dk"]


def test_a_post_a_moderator_hid_cannot_be_reported(client, member, category):
    author = make_member()
    thread = services.start_thread(author, category=category, title="T", body="Første")
    hidden = services.reply(author, thread=thread, body="Skjult indlæg")
    Post.objects.filter(pk=hidden.pk).update(hidden=True)
    response = client.post(f"/medlemmer/forum/indlaeg/{hidden.pk}/anmeld/", {"reason": "Spam"})
    assert response.status_code == 404
    assert not PostReport.objects.exists()
    with pytest.raises(services.ForumError):
        services.report_post(member, post=Post.objects.get(pk=hidden.pk), reason="Spam")


def test_new_accounts_are_flood_limited_and_keep_their_text(client, home_page, category, settings):
    settings.FORUM_NEW_ACCOUNT_POSTS = 2
    newcomer = make_member()
    client.force_login(newcomer)
    thread = services.start_thread(newcomer, category=category, title="T", body="1")
    services.reply(newcomer, thread=thread, body="2")
    response = client.post(f"/medlemmer/forum/traad/{thread.pk}/", {"body": "Mit lange svar"})
    html = response.content.decode()
    assert response.status_code == 400 and "Nye konti kan skrive højst 2" in html
    assert "Mit lange svar" in html
    assert thread.posts.count() == 2


def test_subscribers_get_one_email_per_post_even_when_the_task_runs_twice(member, category):
    follower = make_member(email="follower@example.dk")
    services.toggle_subscription(follower, category=category)
    lapsed = make_member(email="lapsed@example.dk")
    services.toggle_subscription(lapsed, category=category)
    lapsed.groups.clear()
    mail.outbox.clear()

    thread = services.start_thread(member, category=category, title="Nyt om aftaler", body="Hej")
    post = thread.posts.get()
    notify_subscribers_task(post.pk)
    notify_subscribers_task(post.pk)
    assert [m.to for m in mail.outbox] == [["follower@example.dk"]]
    assert "Nyt om aftaler" in mail.outbox[0].subject
    rows = OutboundEmail.objects.filter(group=f"forum.post:{post.pk}")
    assert dict(rows.values_list("recipient", "status")) == {
        "follower@example.dk": "sent",
        "lapsed@example.dk": "skipped",  # recorded, not mailed
    }


def test_followers_of_an_ended_organisation_get_no_forum_mail(member, category):
    ended = MemberOrganisationFactory(name="Tidligere Kommune")
    former = make_member(email="tidligere@example.dk", organisation=ended)
    services.toggle_subscription(former, category=category)
    follower = make_member(email="aktiv@example.dk")
    services.toggle_subscription(follower, category=category)
    # Ended in the admin; the former member has not made a request since, so they are
    # still in the Members group.
    MemberOrganisation.objects.filter(pk=ended.pk).update(status="ended")
    mail.outbox.clear()

    thread = services.start_thread(member, category=category, title="Nyt fra netværket", body="x")
    notify_subscribers_task(thread.posts.get().pk)
    assert [m.to for m in mail.outbox] == [["aktiv@example.dk"]]


def _smtp_settings(settings, port):
    settings.EMAIL_BACKEND = "core.outbox.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def test_a_connection_reset_at_data_mails_everyone_exactly_once(member, category, settings):
    """A real SMTP server resets the connection at the DATA of the third message: that
    message never reached the end of DATA, so it is sent again; nobody gets two."""
    followers = [make_member(email=f"foelger{n}@example.dk") for n in range(5)]
    for follower in followers:
        services.toggle_subscription(follower, category=category)
    settings.OUTBOX_RETRY_BASE_SECONDS = 0
    with ScriptedSMTPServer(reset_during_data={3}) as smtp:
        _smtp_settings(settings, smtp.port)
        thread = services.start_thread(member, category=category, title="Stor tråd", body="x")
        notify_subscribers_task(thread.posts.get().pk)
        deliver_due()  # the beat, once the retry is due

    assert sorted(smtp.delivered) == sorted(follower.email for follower in followers)
    rows = OutboundEmail.objects.filter(group=f"forum.post:{thread.posts.get().pk}")
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert sorted(rows.values_list("attempts", flat=True)) == [1, 1, 1, 1, 2]


def test_fifteen_reports_of_one_post_send_each_moderator_one_email(client, member, category):
    moderator = make_member(email="moderator@example.dk")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_thread"))
    thread = services.start_thread(member, category=category, title="Omstridt", body="x")
    post = thread.posts.get()
    mail.outbox.clear()
    reporters = [make_member(email=f"anmelder{n}@example.dk") for n in range(15)]

    for reporter in reporters:
        services.report_post(reporter, post=post, reason="Upassende")
    services.report_post(reporters[0], post=post, reason="Stadig upassende")  # again

    assert [m.to for m in mail.outbox] == [["moderator@example.dk"]]
    assert PostReport.objects.filter(post=post).count() == 15  # one per member
    assert PostReport.objects.get(reporter=reporters[0]).reason == "Stadig upassende"


def test_unread_markers_follow_reading(client, member, category):
    author = make_member()
    thread = services.start_thread(author, category=category, title="Ulæst tråd", body="x")
    assert services.with_unread(member, Thread.objects.all()).get().unread
    client.get(f"/medlemmer/forum/traad/{thread.pk}/")
    assert not services.with_unread(member, Thread.objects.all()).get().unread
    services.reply(author, thread=thread, body="nyt")
    assert services.with_unread(member, Thread.objects.all()).get().unread


def test_forum_search_finds_posts_for_members(client, member, category):
    services.start_thread(member, category=category, title="Vågekoner", body=f"Om {MARKER}")
    html = client.get(f"/medlemmer/forum/soeg/?q={MARKER.lower()}").content.decode()
    assert "Vågekoner" in html


def test_erased_member_posts_remain_as_former_member(client, member, category):
    from members_area.services import erase_personal_data

    thread = services.start_thread(member, category=category, title="Min tråd", body="Mit indlæg")
    erase_personal_data(member)
    reader = make_member()
    client.force_login(reader)
    html = client.get(f"/medlemmer/forum/traad/{thread.pk}/").content.decode()
    assert "Mit indlæg" in html and "Tidligere medlem" in html and "mette" not in html
