"""Reading the forum: unread markers, search, latest activity; a member's personal data."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q

from members_area.access import is_member

from ..models import Category, Post, PostReport, ReadState, Subscription, Thread
from .access import can_moderate, visible_threads, with_authors


def with_unread(user, threads):
    """Annotate threads with ``unread`` for ``user``: never opened, or new posts since."""
    read_after_last_post = ReadState.objects.filter(
        user=user, thread=OuterRef("pk"), last_read_at__gte=OuterRef("last_post_at")
    )
    return threads.annotate(unread=~Exists(read_after_last_post))


def categories_for(user):
    threads = Q(threads__hidden=False)
    return Category.objects.annotate(thread_count=Count("threads", filter=threads))


def search_posts(user, query: str, limit: int = 50):
    """Forum search for members: thread titles and post text, with each post's author and
    municipality (the results page shows them)."""
    if not is_member(user) or not query.strip():
        return Post.objects.none()
    posts = with_authors(
        Post.objects.filter(
            Q(body_markdown__icontains=query) | Q(thread__title__icontains=query)
        ).select_related("thread")
    )
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
