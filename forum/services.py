"""Business rules of the forum. Views call these; they never touch the models directly."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.background import enqueue_after_commit
from core import outbox
from core.outbox.models import OutboundEmail
from core.site_address import absolute_url
from members_area.access import is_member
from members_area.services import with_active_membership

from .models import Category, Post, PostReport, ReadState, Subscription, Thread
from .tasks import notify_subscribers_task

MODERATE_PERMISSION = "forum.moderate_thread"


class ForumError(Exception):
    """A rule of the forum stops the action; ``str(error)`` is a message for the member."""


def can_moderate(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm(MODERATE_PERMISSION)))


def visible_threads(user):
    threads = Thread.objects.select_related("category", "author")
    return threads if can_moderate(user) else threads.filter(hidden=False)


def visible_posts(user, thread):
    posts = thread.posts.select_related("author")
    return posts if can_moderate(user) else posts.filter(hidden=False)


# --- Writing ----------------------------------------------------------------------------------


def check_flood_limit(user) -> None:
    """Every member may post only so often in a short window (spam, runaway scripts, a stolen
    account); new accounts get a much smaller allowance. Moderators are not limited."""
    if can_moderate(user):
        return
    now = timezone.now()
    is_new = user.date_joined >= now - datetime.timedelta(days=settings.FORUM_NEW_ACCOUNT_DAYS)
    limit = settings.FORUM_NEW_ACCOUNT_POSTS if is_new else settings.FORUM_MEMBER_POSTS
    window = now - datetime.timedelta(minutes=settings.FORUM_FLOOD_MINUTES)
    if Post.objects.filter(author=user, created_at__gte=window).count() < limit:
        return
    message = (
        _("Nye konti kan skrive højst %(n)d indlæg på %(m)d minutter.")
        if is_new
        else _("Du kan skrive højst %(n)d indlæg på %(m)d minutter.")
    )
    raise ForumError(
        (message + " " + _("Vent lidt, og prøv igen – din tekst er bevaret."))
        % {"n": limit, "m": settings.FORUM_FLOOD_MINUTES}
    )


def _require_member(user) -> None:
    if not is_member(user):
        raise ForumError(_("Forummet er kun for medlemmer."))


@transaction.atomic
def start_thread(user, *, category: Category, title: str, body: str) -> Thread:
    _require_member(user)
    check_flood_limit(user)
    now = timezone.now()
    thread = Thread.objects.create(
        category=category, title=title, author=user, created_at=now, last_post_at=now, post_count=1
    )
    post = Post.objects.create(thread=thread, author=user, body_markdown=body, created_at=now)
    Subscription.objects.get_or_create(user=user, thread=thread)
    mark_read(user, thread)
    _notify_after_commit(post)
    return thread


@transaction.atomic
def reply(user, *, thread: Thread, body: str) -> Post:
    _require_member(user)
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.hidden and not can_moderate(user):
        raise ForumError(_("Tråden findes ikke længere."))
    if thread.locked and not can_moderate(user):
        raise ForumError(_("Tråden er låst, så der kan ikke svares i den."))
    check_flood_limit(user)
    now = timezone.now()
    post = Post.objects.create(thread=thread, author=user, body_markdown=body, created_at=now)
    thread.post_count = thread.posts.count()
    thread.last_post_at = now
    thread.save(update_fields=["post_count", "last_post_at"])
    Subscription.objects.get_or_create(user=user, thread=thread)
    mark_read(user, thread)
    _notify_after_commit(post)
    return post


def edit_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.FORUM_EDIT_MINUTES)


def can_edit(user, post: Post) -> bool:
    if can_moderate(user):
        return True
    return post.author_id == user.pk and post.created_at >= timezone.now() - edit_window()


def edit_post(user, *, post: Post, body: str) -> Post:
    if not can_edit(user, post):
        raise ForumError(
            _("Du kan kun rette dine egne indlæg i %(m)d minutter efter, du skrev dem.")
            % {"m": int(edit_window().total_seconds() // 60)}
        )
    post.body_markdown = body
    post.edited_at = timezone.now()
    post.save()
    return post


# --- Moderation and reports ---------------------------------------------------------------------


def moderate_thread(user, thread: Thread, action: str, category: Category | None = None) -> None:
    if not can_moderate(user):
        raise ForumError(_("Kun moderatorer kan gøre det."))
    changes = {
        "pin": {"pinned": True},
        "unpin": {"pinned": False},
        "lock": {"locked": True},
        "unlock": {"locked": False},
        "hide": {"hidden": True},
        "unhide": {"hidden": False},
    }
    if action == "move":
        if category is None:
            raise ForumError(_("Vælg en kategori."))
        changes["move"] = {"category": category}
    if action not in changes:
        raise ForumError(_("Ukendt handling."))
    for field, value in changes[action].items():
        setattr(thread, field, value)
    thread.save()


def set_post_hidden(user, post: Post, hidden: bool) -> None:
    if not can_moderate(user):
        raise ForumError(_("Kun moderatorer kan gøre det."))
    post.hidden = hidden
    post.save(update_fields=["hidden"])


def report_post(user, *, post: Post, reason: str) -> PostReport:
    """Report a post to the moderators.

    Reports of one post are merged: a member reporting the same post again updates their
    reason, and the moderators get one e-mail per post while it has open reports, however
    many members report it (fifteen reports never mean fifteen e-mails to each moderator).
    """
    _require_member(user)
    if post.hidden or post.thread.hidden:
        raise ForumError(_("Indlægget findes ikke længere."))
    with transaction.atomic():
        already_open = PostReport.objects.select_for_update().filter(post=post, resolved=False)
        first_open = not already_open.exists()
        report, _created = PostReport.objects.update_or_create(
            post=post, reporter=user, resolved=False, defaults={"reason": reason}
        )
        if first_open:
            url = absolute_url(reverse("forum:thread", args=[post.thread_id]))
            for moderator_id, email in _moderators().exclude(email="").values_list("pk", "email"):
                outbox.queue_email(
                    REPORT_KIND,
                    email,
                    subject=_("Anmeldt indlæg i forummet"),
                    text=_("Et indlæg i “%(thread)s” er anmeldt: %(reason)s\n\n%(url)s")
                    % {"thread": post.thread.title, "reason": reason, "url": url},
                    dedupe_key=f"forum.report:{report.pk}:{moderator_id}",
                )
    return report


def _moderators():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="moderate_thread", content_type__app_label="forum")
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission),
            is_active=True,
        )
        .distinct()
    )


# --- Subscriptions, unread markers, notifications ----------------------------------------------


def toggle_subscription(
    user, *, thread: Thread | None = None, category: Category | None = None
) -> bool:
    """Subscribe or unsubscribe; returns whether ``user`` is subscribed afterwards."""
    _require_member(user)
    existing = Subscription.objects.filter(user=user, thread=thread, category=category)
    if existing.exists():
        existing.delete()
        return False
    try:
        Subscription.objects.create(user=user, thread=thread, category=category)
    except IntegrityError:
        pass  # a double click: already subscribed
    return True


def mark_read(user, thread: Thread) -> None:
    ReadState.objects.update_or_create(
        user=user, thread=thread, defaults={"last_read_at": timezone.now()}
    )


def with_unread(user, threads):
    """Annotate threads with ``unread`` for ``user``: never opened, or new posts since."""
    read_after_last_post = ReadState.objects.filter(
        user=user, thread=OuterRef("pk"), last_read_at__gte=OuterRef("last_post_at")
    )
    return threads.annotate(unread=~Exists(read_after_last_post))


def categories_for(user):
    threads = Q(threads__hidden=False)
    return Category.objects.annotate(thread_count=Count("threads", filter=threads))


NEW_POST_KIND = "forum.new_post"  # outbox kinds
REPORT_KIND = "forum.report"


def _notify_after_commit(post: Post) -> None:
    enqueue_after_commit(notify_subscribers_task, post.pk)


def notify_subscribers(post_id: int) -> int:
    """Queue one outbox e-mail per follower of the post's thread or category (once each,
    ever: the outbox's dedupe key is the post and the recipient) and deliver them.

    Recipients are re-checked when each message is composed (``compose_new_post``), with the
    membership rule itself: a follower whose organisation's membership has ended, or who
    turned notifications off, gets nothing. Returns how many messages were queued.
    """
    post = Post.objects.select_related("thread").filter(pk=post_id).first()
    if post is None or post.hidden or post.thread.hidden:
        return 0
    followers = (
        Subscription.objects.filter(Q(thread=post.thread) | Q(category=post.thread.category))
        .exclude(user=post.author)
        .filter(user__is_active=True)
        .exclude(user__email="")
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
    while True:
        report = outbox.deliver(group=group)
        if not report.claimed or report.server_down:
            return queued


@outbox.register_composer(NEW_POST_KIND)
def compose_new_post(row: OutboundEmail) -> EmailMultiAlternatives | None:
    post = (
        Post.objects.select_related("thread", "thread__category", "author")
        .filter(pk=row.params["post"], hidden=False, thread__hidden=False)
        .first()
    )
    recipient = (
        with_active_membership(get_user_model().objects.filter(pk=row.params["user"]))
        .select_related("member_profile")
        .first()
    )
    if post is None or recipient is None or not recipient.email:
        return None
    profile = getattr(recipient, "member_profile", None)
    if profile is not None and not profile.forum_notifications:
        return None
    url = absolute_url(reverse("forum:thread", args=[post.thread_id]))
    context = {"post": post, "thread": post.thread, "recipient": recipient, "url": url}
    message = EmailMultiAlternatives(
        _("Nyt indlæg: %(title)s") % {"title": post.thread.title},
        render_to_string("forum/email/new_post.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    )
    message.attach_alternative(render_to_string("forum/email/new_post.html", context), "text/html")
    return message


# --- Reading ------------------------------------------------------------------------------------


def search_posts(user, query: str, limit: int = 50):
    """Forum search for members: thread titles and post text."""
    if not is_member(user) or not query.strip():
        return Post.objects.none()
    posts = Post.objects.filter(
        Q(body_markdown__icontains=query) | Q(thread__title__icontains=query)
    ).select_related("thread", "author")
    if not can_moderate(user):
        posts = posts.filter(hidden=False, thread__hidden=False)
    return posts.order_by("-created_at")[:limit]


def latest_activity(user, limit: int = 5):
    """Threads with the newest posts, for the members' dashboard."""
    if not is_member(user):
        return Thread.objects.none()
    return with_unread(user, visible_threads(user)).order_by("-last_post_at")[:limit]


# --- Personal data ------------------------------------------------------------------------------


def export_personal_data(user) -> list[dict]:
    return [
        {
            "thread": post.thread.title,
            "created_at": post.created_at.isoformat(),
            "text": post.body_markdown,
        }
        for post in Post.objects.filter(author=user).select_related("thread")
    ]


def erase_personal_data(user) -> None:
    """Posts stay (the discussion keeps its sense) but show "Tidligere medlem" as author."""
    Post.objects.filter(author=user).update(author=None)
    Thread.objects.filter(author=user).update(author=None)
    Subscription.objects.filter(user=user).delete()
    ReadState.objects.filter(user=user).delete()
    PostReport.objects.filter(reporter=user).update(reporter=None)
