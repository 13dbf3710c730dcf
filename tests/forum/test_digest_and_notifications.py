"""What followers receive: one e-mail per post with author, municipality and an excerpt, or
(their choice) one daily digest through the outbox."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.outbox.models import OutboundEmail
from forum import services
from forum.models import Subscription
from members_area.models import MemberProfile

pytestmark = pytest.mark.django_db

LONG_BODY = "**Vi har** prøvet [besøgsvenner](https://vejle.dk) i _to år_.\n\n" + "Mere. " * 200


@pytest.fixture
def follower(member_of, forum_category):
    user = member_of("Horsens Kommune", username="lis@horsens.dk", email="lis@horsens.dk")
    services.toggle_subscription(user, category=forum_category)
    return user


def _mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_notification_names_author_municipality_and_quotes_an_excerpt(
    vejle_member, follower, forum_category
):
    thread = services.start_thread(
        vejle_member, category=forum_category, title="Besøgsvenner", body=LONG_BODY
    )
    [message] = _mails_to(follower)
    text = message.body
    assert "Mette Hansen, Vejle Kommune, skriver:" in text
    assert "Vi har prøvet besøgsvenner i to år." in text
    assert "**" not in text and "](https" not in text and "_to år_" not in text
    assert "Mere. " * 60 not in text  # an excerpt, not the post
    assert text.count("Mere.") < 60 and "…" in text
    post = thread.posts.get()
    assert f"/medlemmer/forum/indlaeg/{post.pk}/" in text
    html = message.alternatives[0][0]
    assert "Vejle Kommune" in html and "<strong>Vi har" not in html  # plain excerpt in HTML too


def test_digest_readers_get_one_digest_next_day_with_both_replies(
    vejle_member, follower, forum_category, member_of
):
    MemberProfile.objects.filter(user=follower).update(forum_digest=True)
    ole = member_of("Aarhus Kommune", first_name="Ole", last_name="Berg")
    thread = services.start_thread(
        vejle_member, category=forum_category, title="Frivillige", body="Første **indlæg**"
    )
    services.reply(ole, thread=thread, body="Andet *svar* fra Aarhus")
    assert _mails_to(follower) == []  # nothing now

    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert services.send_daily_digests(now=tomorrow) == 1
    assert services.send_daily_digests(now=tomorrow + datetime.timedelta(minutes=5)) == 0
    [digest] = _mails_to(follower)
    assert "2 nye indlæg" in digest.body
    assert "Mette Hansen, Vejle Kommune, skriver:" in digest.body
    assert "Ole Berg, Aarhus Kommune, skriver:" in digest.body
    assert "Første indlæg" in digest.body and "Andet svar fra Aarhus" in digest.body
    assert "**" not in digest.body
    row = OutboundEmail.objects.get(kind=services.DIGEST_KIND)
    assert row.dedupe_key == f"forum.digest:{timezone.localdate(tomorrow)}:{follower.pk}"

    # The next day's digest has only what came after.
    services.reply(ole, thread=thread, body="Tredje svar")
    Subscription.objects.filter(user=follower)  # still following
    with_third = thread.posts.order_by("-created_at").first()
    with_third.created_at = tomorrow + datetime.timedelta(hours=1)
    with_third.save(update_fields=["created_at"])
    assert services.send_daily_digests(now=tomorrow + datetime.timedelta(days=1)) == 1
    latest = _mails_to(follower)[-1]
    assert "Tredje svar" in latest.body and "Første indlæg" not in latest.body


def test_nothing_new_means_no_digest(follower):
    MemberProfile.objects.filter(user=follower).update(forum_digest=True)
    assert services.send_daily_digests() == 0
    assert not OutboundEmail.objects.filter(kind=services.DIGEST_KIND).exists()


def test_members_choose_the_digest_on_their_profile(client, follower):
    client.force_login(follower)
    response = client.post(
        "/medlemmer/profil/",
        {
            "first_name": "Lis",
            "last_name": "Lund",
            "job_title": "",
            "forum_notifications": "on",
            "forum_digest": "on",
        },
    )
    assert response.status_code == 302
    profile = MemberProfile.objects.get(user=follower)
    assert profile.forum_digest and profile.forum_digest_until is not None
    assert "daglig oversigt" in client.get("/medlemmer/profil/").content.decode()
