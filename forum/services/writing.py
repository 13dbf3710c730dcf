"""Starting threads, replying and editing: the flood limit and the edit window."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.background import enqueue_after_commit

from ..models import Category, Post, ReadState, Subscription, Thread
from ..tasks import notify_subscribers_task
from .access import ForumError, can_moderate, require_member


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


@transaction.atomic
def start_thread(user, *, category: Category, title: str, body: str) -> Thread:
    require_member(user)
    check_flood_limit(user)
    now = timezone.now()
    thread = Thread.objects.create(
        category=category, title=title, author=user, created_at=now, last_post_at=now, post_count=1
    )
    post = Post.objects.create(thread=thread, author=user, body_markdown=body, created_at=now)
    Subscription.objects.get_or_create(user=user, thread=thread)
    mark_read(user, thread)
    enqueue_after_commit(notify_subscribers_task, post.pk)
    return thread


@transaction.atomic
def reply(user, *, thread: Thread, body: str) -> Post:
    require_member(user)
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
    enqueue_after_commit(notify_subscribers_task, post.pk)
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


def mark_read(user, thread: Thread) -> None:
    ReadState.objects.update_or_create(
        user=user, thread=thread, defaults={"last_read_at": timezone.now()}
    )
