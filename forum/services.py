"""Business rules of the forum. Views call these; they never touch the models directly."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.background import enqueue_after_commit
from core.site_address import absolute_url
from members_area.access import is_member
from members_area.services import with_active_membership

from .models import Category, Notification, Post, PostReport, ReadState, Subscription, Thread

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
    _require_member(user)
    if post.hidden or post.thread.hidden:
        raise ForumError(_("Indlægget findes ikke længere."))
    report = PostReport.objects.create(post=post, reporter=user, reason=reason)
    moderators = _moderators().exclude(email="")
    if moderators.exists():
        url = absolute_url(reverse("forum:thread", args=[post.thread_id]))
        EmailMultiAlternatives(
            _("Anmeldt indlæg i forummet"),
            _("Et indlæg i “%(thread)s” er anmeldt: %(reason)s\n\n%(url)s")
            % {"thread": post.thread.title, "reason": reason, "url": url},
            settings.DEFAULT_FROM_EMAIL,
            list(moderators.values_list("email", flat=True)),
        ).send()
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


def _notify_after_commit(post: Post) -> None:
    from .tasks import notify_subscribers_task

    enqueue_after_commit(notify_subscribers_task, post.pk)


def notify_subscribers(post_id: int, batch_size: int = 50) -> int:
    """E-mail everyone following the post's thread or category (once each, ever).

    Recipient rows are created first (unique per post and recipient). Each message is then
    claimed with a conditional UPDATE that is committed on its own, sent, and marked sent in
    its own commit, all over one SMTP connection. If sending fails the claim is released and
    the error propagates (the task retries); messages already sent stay marked, so a retry,
    or two workers at once, never mails anyone twice.

    Recipients are re-checked at send time with the membership rule itself
    (``with_active_membership``): a follower whose organisation's membership has ended gets
    nothing, even before the middleware takes them out of the Members group.
    """
    post = (
        Post.objects.select_related("thread", "thread__category", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.hidden or post.thread.hidden:
        return 0
    followers = (
        Subscription.objects.filter(Q(thread=post.thread) | Q(category=post.thread.category))
        .exclude(user=post.author)
        .values_list("user_id", flat=True)
        .distinct()
    )
    Notification.objects.bulk_create(
        [Notification(post=post, recipient_id=user_id) for user_id in followers],
        ignore_conflicts=True,
    )

    sent = 0
    url = absolute_url(reverse("forum:thread", args=[post.thread_id]))
    connection = None  # opened only once there is someone to mail
    try:
        while True:
            pending = list(
                Notification.objects.filter(
                    post=post, sent_at__isnull=True, claimed_at__isnull=True
                )
                .select_related("recipient", "recipient__member_profile")
                .order_by("pk")[:batch_size]
            )
            if not pending:
                return sent
            if connection is None:
                connection = get_connection()
                connection.open()
            in_good_standing = set(
                with_active_membership(
                    get_user_model().objects.filter(pk__in=[n.recipient_id for n in pending])
                ).values_list("pk", flat=True)
            )
            for notification in pending:
                if not _claim(notification):
                    continue  # another worker has it
                recipient = notification.recipient
                profile = getattr(recipient, "member_profile", None)
                wants_mail = profile is None or profile.forum_notifications
                if recipient.email and wants_mail and recipient.pk in in_good_standing:
                    try:
                        _notification_message(post, recipient, url, connection).send()
                    except Exception:
                        _release(notification)
                        raise
                    sent += 1
                _finish(notification)
    finally:
        if connection is not None:
            connection.close()


def _claim(notification: Notification) -> bool:
    with transaction.atomic(durable=True):
        return bool(
            Notification.objects.filter(
                pk=notification.pk, sent_at__isnull=True, claimed_at__isnull=True
            ).update(claimed_at=timezone.now())
        )


def _release(notification: Notification) -> None:
    with transaction.atomic(durable=True):
        Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(
            claimed_at=None
        )


def _finish(notification: Notification) -> None:
    with transaction.atomic(durable=True):
        Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())


def _notification_message(post, recipient, url, connection):
    context = {"post": post, "thread": post.thread, "recipient": recipient, "url": url}
    message = EmailMultiAlternatives(
        _("Nyt indlæg: %(title)s") % {"title": post.thread.title},
        render_to_string("forum/email/new_post.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
        connection=connection,
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
    Notification.objects.filter(recipient=user).delete()
    PostReport.objects.filter(reporter=user).update(reporter=None)
