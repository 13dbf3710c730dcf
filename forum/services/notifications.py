"""Following threads and categories, and the e-mails followers get: one per new post, or a
daily digest of them (the member's choice on their profile). Every message goes through the
outbox, composed at send time so that a post hidden meanwhile, a membership that ended or a
changed preference is respected."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url
from members_area.models import MemberProfile
from members_area.services import with_active_membership

from ..markup import excerpt
from ..models import Category, Post, Subscription, Thread
from .access import require_member, with_authors

NEW_POST_KIND = "forum.new_post"  # outbox kinds
DIGEST_KIND = "forum.digest"


def toggle_subscription(
    user, *, thread: Thread | None = None, category: Category | None = None
) -> bool:
    """Subscribe or unsubscribe; returns whether ``user`` is subscribed afterwards."""
    require_member(user)
    existing = Subscription.objects.filter(user=user, thread=thread, category=category)
    if existing.exists():
        existing.delete()
        return False
    try:
        Subscription.objects.create(user=user, thread=thread, category=category)
    except IntegrityError:
        pass  # a double click: already subscribed
    return True


def post_url(post: Post) -> str:
    """The post's own address: it leads to the right page of its thread."""
    return absolute_url(reverse("forum:post", args=[post.pk]))


def _email_post(post: Post) -> dict:
    """What an e-mail says about a post: author, municipality, a plain-text excerpt, link."""
    organisation = post.author_organisation
    return {
        "post": post,
        "author": post.author.get_full_name() or post.author.get_username()
        if post.author_shown
        else _("Tidligere medlem"),
        "organisation": organisation.name if organisation else "",
        "excerpt": excerpt(post.body_html, settings.FORUM_EMAIL_EXCERPT_CHARS),
        "url": post_url(post),
    }


def _followed_posts():
    """Posts a follower may be told about: not hidden, in a thread not hidden."""
    return with_authors(
        Post.objects.filter(hidden=False, thread__hidden=False).select_related("thread")
    )


def _recipient(user_id):
    """The follower, if still a member in good standing with forum e-mails on."""
    user = (
        with_active_membership(get_user_model().objects.filter(pk=user_id))
        .select_related("member_profile")
        .first()
    )
    if user is None or not user.email:
        return None
    profile = getattr(user, "member_profile", None)
    if profile is not None and not profile.forum_notifications:
        return None
    return user


def _wants_digest(user) -> bool:
    profile = getattr(user, "member_profile", None)
    return bool(profile and profile.forum_digest)


def notify_subscribers(post_id: int) -> int:
    """Queue one outbox e-mail per follower of the post's thread or category (once each,
    ever: the outbox's dedupe key is the post and the recipient) and deliver them.

    Followers who chose the daily digest get nothing now (``send_daily_digests``). Recipients
    are re-checked when each message is composed (``compose_new_post``), with the membership
    rule itself: a follower whose organisation's membership has ended, or who turned
    notifications off, gets nothing. Returns how many messages were queued.
    """
    post = Post.objects.select_related("thread").filter(pk=post_id).first()
    if post is None or post.hidden or post.thread.hidden:
        return 0
    followers = (
        Subscription.objects.filter(Q(thread=post.thread) | Q(category=post.thread.category))
        .exclude(user=post.author)
        .filter(user__is_active=True)
        .exclude(user__email="")
        .exclude(user__member_profile__forum_digest=True)
        .values_list("user_id", "user__email")
        .distinct()
    )
    group = f"forum.post:{post.pk}"
    queued = outbox.queue_many(
        NEW_POST_KIND,
        (
            {
                "recipient": email,
                "dedupe_key": f"{group}:{user_id}",
                "params": {"post": post.pk, "user": user_id},
            }
            for user_id, email in followers
        ),
        group=group,
    )
    outbox.deliver_group(group)
    return queued


@outbox.register_composer(NEW_POST_KIND)
def compose_new_post(row: OutboundEmail) -> EmailMultiAlternatives | None:
    post = _followed_posts().filter(pk=row.params["post"]).first()
    recipient = _recipient(row.params["user"])
    if post is None or recipient is None or _wants_digest(recipient):
        return None
    context = {**_email_post(post), "thread": post.thread, "recipient": recipient}
    return _message(
        _("Nyt indlæg: %(title)s") % {"title": post.thread.title},
        "forum/email/new_post",
        context,
        recipient,
    )


def _message(subject, template, context, recipient) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject,
        render_to_string(f"{template}.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


# --- The daily digest ---------------------------------------------------------------------------


def digest_posts(user, since: datetime.datetime, until: datetime.datetime):
    """Others' posts in the threads and categories ``user`` follows, written in
    (``since``, ``until``], oldest first."""
    followed = Subscription.objects.filter(user=user)
    return (
        _followed_posts()
        .filter(
            Q(thread__in=followed.exclude(thread=None).values("thread"))
            | Q(thread__category__in=followed.exclude(category=None).values("category")),
            created_at__gt=since,
            created_at__lte=until,
        )
        .exclude(author=user)
        .order_by("created_at", "pk")
    )


def send_daily_digests(now: datetime.datetime | None = None) -> int:
    """One e-mail per digest reader with every post since their previous digest (at most
    ``FORUM_DIGEST_MAX_DAYS`` back). Safe to run twice: the outbox row is unique per member
    and day (``forum.digest:<user>:<date>``), and a member's digest window only moves when
    their digest was queued. Returns how many digests were queued."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    readers = (
        with_active_membership(get_user_model().objects.all())
        .filter(member_profile__forum_digest=True, member_profile__forum_notifications=True)
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    group = f"forum.digest:{day.isoformat()}"
    queued = sum(_queue_digest(user_id, now, day, group) for user_id in readers)
    outbox.deliver_group(group)
    return queued


@transaction.atomic
def _queue_digest(user_id: int, now, day, group: str) -> bool:
    profile = MemberProfile.objects.select_for_update().select_related("user").get(user=user_id)
    oldest = now - datetime.timedelta(days=settings.FORUM_DIGEST_MAX_DAYS)
    since = max(profile.forum_digest_until or oldest, oldest)
    if not digest_posts(profile.user, since, now).exists():
        return False
    row = outbox.queue_email(
        DIGEST_KIND,
        profile.user.email,
        params={"user": user_id, "since": since.isoformat(), "until": now.isoformat()},
        dedupe_key=f"{group}:{user_id}",
        group=group,
        deliver=False,
    )
    if row is None:
        return False  # today's digest is out already; the rest waits for tomorrow's
    profile.forum_digest_until = now
    profile.save(update_fields=["forum_digest_until"])
    return True


@outbox.register_composer(DIGEST_KIND)
def compose_digest(row: OutboundEmail) -> EmailMultiAlternatives | None:
    recipient = _recipient(row.params["user"])
    if recipient is None:
        return None
    since, until = parse_datetime(row.params["since"]), parse_datetime(row.params["until"])
    posts = [_email_post(post) for post in digest_posts(recipient, since, until)]
    if not posts:
        return None  # everything in it was hidden meanwhile
    threads: dict[int, dict] = {}
    for item in posts:
        thread = item["post"].thread
        threads.setdefault(thread.pk, {"thread": thread, "posts": []})["posts"].append(item)
    context = {"recipient": recipient, "threads": list(threads.values()), "count": len(posts)}
    return _message(
        _("Nyt i forummet: %(n)d indlæg") % {"n": len(posts)},
        "forum/email/digest",
        context,
        recipient,
    )
