"""Who may read and moderate the forum, and the querysets every listing starts from."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext as _

from members_area.access import is_member

from ..models import Post, Thread

MODERATE_PERMISSION = "forum.moderate_thread"
# What showing a post's author costs nothing more: the name, the profile, the municipality.
AUTHOR_FIELDS = ("author__member_profile__organisation",)


class ForumError(Exception):
    """A rule of the forum stops the action; ``str(error)`` is a message for the member."""


def can_moderate(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_perm(MODERATE_PERMISSION)))


def require_moderator(user) -> None:
    if not can_moderate(user):
        raise ForumError(_("Kun moderatorer kan gøre det."))


def require_member(user) -> None:
    if not is_member(user):
        raise ForumError(_("Forummet er kun for medlemmer."))


def with_authors(posts):
    """Posts with their author, profile and municipality in the same query (no N+1)."""
    return posts.select_related(*AUTHOR_FIELDS)


def visible_threads(user):
    threads = Thread.objects.select_related("category", "author")
    return threads if can_moderate(user) else threads.filter(hidden=False)


def visible_posts(user, thread):
    posts = with_authors(thread.posts.all())
    return posts if can_moderate(user) else posts.filter(hidden=False)


def position_in_thread(user, post: Post) -> int:
    """How many posts ``user`` sees before ``post`` in its thread (for its page number)."""
    earlier = Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    return visible_posts(user, post.thread).filter(earlier).count()


def moderators():
    """Active users who may moderate: superusers, and holders of the permission (directly or
    through a group such as the moderators' group)."""
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
