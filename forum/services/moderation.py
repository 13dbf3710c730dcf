"""Moderation: reports of posts (merged per post), the moderators' queue and its actions.

Every action checks the moderator's permission itself, whichever view calls it (the admin's
queue, the thread page's moderator tools).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import outbox
from core.site_address import absolute_url

from ..models import Category, Post, PostReport, Thread
from .access import (
    ForumError,
    moderators,
    require_member,
    require_moderator,
    with_authors,
)

REPORT_KIND = "forum.report"  # outbox kind
CONTEXT_POSTS = 2  # how many earlier posts of the thread the queue shows above a reported one

THREAD_CHANGES = {
    "pin": {"pinned": True},
    "unpin": {"pinned": False},
    "lock": {"locked": True},
    "unlock": {"locked": False},
    "hide": {"hidden": True},
    "unhide": {"hidden": False},
}


def moderate_thread(user, thread: Thread, action: str, category: Category | None = None) -> None:
    require_moderator(user)
    changes = dict(THREAD_CHANGES)
    if action == "move":
        if category is None:
            raise ForumError(_("Vælg en kategori."))
        changes["move"] = {"category": category}
    if action not in changes:
        raise ForumError(_("Ukendt handling."))
    for field, value in changes[action].items():
        setattr(thread, field, value)
    thread.save(update_fields=list(changes[action]))


def _resolve_reports(user, post: Post, resolution: str) -> int:
    return PostReport.objects.filter(post=post, resolved=False).update(
        resolved=True, resolved_at=timezone.now(), resolved_by=user, resolution=resolution
    )


@transaction.atomic
def set_post_hidden(user, post: Post, hidden: bool) -> None:
    """Hide a post from members (moderators still see it, marked) or show it again. Hiding
    decides the post's open reports."""
    require_moderator(user)
    post.hidden = hidden
    post.save(update_fields=["hidden"])
    if hidden:
        _resolve_reports(user, post, PostReport.Resolution.HIDDEN)


def hide_post(user, post: Post) -> None:
    set_post_hidden(user, post, True)


def unhide_post(user, post: Post) -> None:
    set_post_hidden(user, post, False)


def lock_thread(user, post: Post) -> None:
    moderate_thread(user, post.thread, "lock")


def unlock_thread(user, post: Post) -> None:
    moderate_thread(user, post.thread, "unlock")


@transaction.atomic
def delete_post(user, post: Post) -> None:
    """Delete a post for good (its reports go with it). A thread left without posts goes
    too; otherwise its count and latest activity follow what is left."""
    require_moderator(user)
    thread = Thread.objects.select_for_update().get(pk=post.thread_id)
    post.delete()
    remaining = thread.posts.order_by("-created_at", "-pk")
    last = remaining.first()
    if last is None:
        thread.delete()
        return
    thread.post_count = remaining.count()
    thread.last_post_at = last.created_at
    thread.save(update_fields=["post_count", "last_post_at"])


def dismiss_reports(user, post: Post) -> int:
    """The post stays as it is: its open reports are closed. Returns how many."""
    require_moderator(user)
    return _resolve_reports(user, post, PostReport.Resolution.DISMISSED)


# What the moderators' queue offers for a reported post, by the name its form posts.
POST_ACTIONS = {
    "hide": hide_post,
    "unhide": unhide_post,
    "lock": lock_thread,
    "unlock": unlock_thread,
    "delete": delete_post,
    "dismiss": dismiss_reports,
}


def moderate_post(user, post: Post, action: str) -> None:
    if action not in POST_ACTIONS:
        raise ForumError(_("Ukendt handling."))
    POST_ACTIONS[action](user, post)


def report_post(user, *, post: Post, reason: str) -> PostReport:
    """Report a post to the moderators.

    Reports of one post are merged: a member reporting the same post again updates their
    reason (one open report per member and post, a database constraint), and the moderators
    get one e-mail per post while it has open reports, however many members report it
    (fifteen reports never mean fifteen e-mails to each moderator). How many posts a member
    may report an hour is the ``forum_report`` rate limit (the view applies it).
    """
    require_member(user)
    if post.hidden or post.thread.hidden:
        raise ForumError(_("Indlægget findes ikke længere."))
    try:
        return _report(user, post, reason)
    except IntegrityError:
        return _report(user, post, reason)  # the same member's report of a moment ago won


@transaction.atomic
def _report(user, post: Post, reason: str) -> PostReport:
    already_open = PostReport.objects.select_for_update().filter(post=post, resolved=False)
    first_open = not already_open.exists()
    report, _created = PostReport.objects.update_or_create(
        post=post, reporter=user, resolved=False, defaults={"reason": reason}
    )
    if first_open:
        url = absolute_url(reverse("forum_reports"))
        for moderator_id, email in moderators().exclude(email="").values_list("pk", "email"):
            outbox.queue_email(
                REPORT_KIND,
                email,
                subject=_("Anmeldt indlæg i forummet"),
                text=_("Et indlæg i “%(thread)s” er anmeldt: %(reason)s\n\n%(url)s")
                % {"thread": post.thread.title, "reason": reason, "url": url},
                dedupe_key=f"forum.report:{report.pk}:{moderator_id}",
            )
    return report


# --- The moderators' queue ----------------------------------------------------------------------


def open_report_count() -> int:
    """How many posts have open reports (the menu's badge, the dashboard)."""
    return Post.objects.filter(reports__resolved=False).distinct().count()


def report_queue(*, handled: bool = False):
    """Reported posts, one entry per post, newest report first: with open reports, or
    (``handled``) whose reports are all decided. Each post carries ``report_count``,
    ``last_reported_at``, its thread and author's municipality, and the reports themselves
    (``queue_reports``). Call ``with_context`` on the page shown for the earlier posts."""
    posts = Post.objects.filter(reports__resolved=handled)
    if handled:
        posts = posts.exclude(reports__resolved=False)
    reports = PostReport.objects.filter(resolved=handled).select_related("reporter", "resolved_by")
    return (
        with_authors(posts)
        .select_related("thread", "thread__category")
        .annotate(report_count=Count("reports"), last_reported_at=Max("reports__created_at"))
        .prefetch_related(Prefetch("reports", queryset=reports, to_attr="queue_reports"))
        .order_by("-last_reported_at", "-pk")
    )


def with_context(posts) -> list[Post]:
    """Attach ``earlier_posts`` (up to ``CONTEXT_POSTS`` posts before each, oldest first) to
    ``posts`` in two queries, however many posts there are."""
    posts = list(posts)
    earlier = Post.objects.filter(thread=OuterRef("thread")).filter(
        Q(created_at__lt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
    )
    earlier = earlier.order_by("-created_at", "-pk").values("pk")
    annotations = {f"earlier_{n}": Subquery(earlier[n : n + 1]) for n in range(CONTEXT_POSTS)}
    ids = Post.objects.filter(pk__in=[p.pk for p in posts]).annotate(**annotations)
    earlier_ids = {
        row["pk"]: [row[name] for name in reversed(annotations) if row[name]]
        for row in ids.values("pk", *annotations)
    }
    wanted = {pk for pks in earlier_ids.values() for pk in pks}
    found = with_authors(Post.objects.filter(pk__in=wanted)).in_bulk()
    for post in posts:
        post.earlier_posts = [found[pk] for pk in earlier_ids.get(post.pk, []) if pk in found]
    return posts
