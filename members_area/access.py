"""Who may see what: the one place that decides it.

Every listing, feed, sitemap, search, e-mail and API that shows pages filters through
``visible_pages`` (page querysets) or ``can_view_page`` (single pages). Members-only
material sits below pages carrying a view restriction for the Members group; cases and
resources may also be flagged ``members_only`` while staying in the public tree, in which
case the public sees a teaser only (``can_view_full_content``).

Never use "any logged-in user" restrictions for members' material: the public may hold
accounts (event registrations, newsletter preferences).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction

from core import site_state

MEMBERS_GROUP_NAME = "Members"


def members_group() -> Group:
    group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP_NAME)
    return group


def is_member(user) -> bool:
    """Active account in the Members group (superusers and editors see everything)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_is_member_cache", None)
    if cache is None:
        cache = user.groups.filter(name=MEMBERS_GROUP_NAME).exists()
        user._is_member_cache = cache
    return cache


def _user_group_ids(user) -> set[int]:
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cache = getattr(user, "_group_ids_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("id", flat=True))
        user._group_ids_cache = cache
    return cache


@dataclass(frozen=True)
class Restriction:
    """A page view restriction as plain values: what the visibility rules read of it."""

    kind: str
    path: str
    group_ids: frozenset[int]


@dataclass(frozen=True)
class Restrictions:
    rules: tuple[Restriction, ...]
    # Paths below which a page may be restricted: the restricted pages and their aliases
    # (an alias is checked against its source's restrictions).
    trees: tuple[str, ...]


def restrictions() -> Restrictions:
    """Every page view restriction, read once per worker until the next purge.

    Every change that could alter them bumps the page-cache generation in the same
    transaction (home/signals.py: a restriction saved or deleted, its groups changed, a page
    moved or deleted), and ``site_state`` rebuilds its values when the generation moves. So
    this is as fresh as reading the table at the start of each request.
    """
    return site_state.remember("view-restrictions", _read_restrictions)


def _read_restrictions() -> Restrictions:
    rows = list(
        PageViewRestriction.objects.values_list("pk", "restriction_type", "page_id", "page__path")
    )
    groups: dict[int, set[int]] = {}
    if any(kind == PageViewRestriction.GROUPS for _pk, kind, _page, _path in rows):
        through = PageViewRestriction.groups.through.objects.values_list(
            "pageviewrestriction_id", "group_id"
        )
        for restriction_id, group_id in through:
            groups.setdefault(restriction_id, set()).add(group_id)
    rules = tuple(
        Restriction(kind=kind, path=path, group_ids=frozenset(groups.get(pk, ())))
        for pk, kind, _page, path in rows
    )
    page_ids = {page_id for _pk, _kind, page_id, _path in rows}
    aliases = Page.objects.filter(alias_of_id__in=page_ids).values_list("path", flat=True)
    return Restrictions(rules=rules, trees=tuple({rule.path for rule in rules} | set(aliases)))


def _restriction_passes(restriction: Restriction, user, group_ids: set[int]) -> bool:
    if user is not None and user.is_authenticated and user.is_superuser and user.is_active:
        return True
    if restriction.kind == PageViewRestriction.LOGIN:
        # No longer offered and converted by a migration (members_area 0004); one set in code
        # anyway counts as members-only: the public holds accounts too.
        return is_member(user)
    if restriction.kind == PageViewRestriction.GROUPS:
        return bool(group_ids & restriction.group_ids)
    # Shared passwords are switched off for this site; treat any left over as closed.
    return False


def hidden_paths(user) -> list[str]:
    """Tree paths of restricted pages whose subtree ``user`` may not see.

    Memoised on the user object, which lives for one request; the restrictions themselves
    come from ``restrictions()`` (as fresh as the page-cache generation read for the request).
    """
    user = user or AnonymousUser()
    cached = getattr(user, "_hidden_paths_cache", None)
    if cached is not None:
        return cached
    rules = restrictions().rules
    group_ids = _user_group_ids(user) if rules else set()
    paths = [rule.path for rule in rules if not _restriction_passes(rule, user, group_ids)]
    try:
        user._hidden_paths_cache = paths
    except AttributeError:  # pragma: no cover - exotic user objects without attributes
        pass
    return paths


def may_be_restricted(page: Page) -> bool:
    """Could a view restriction apply to ``page`` (on it, an ancestor, or an alias's source)?

    False for most pages, which then need no query for Wagtail's own restriction check.
    """
    return any(page.path.startswith(path) for path in restrictions().trees)


def visibility_key(user) -> str:
    """A short key for what ``user`` may see, for caching listings per visibility.

    A digest of ``hidden_paths``: stable across worker processes (unlike ``hash()`` of str).
    """
    return hashlib.sha1("|".join(hidden_paths(user)).encode()).hexdigest()[:12]


def visible_pages(queryset, user):
    """Filter a page queryset down to pages ``user`` may open.

    Built from ``path`` prefixes only (like Wagtail's ``PageQuerySet.public()``), so the
    result can still be handed to ``.search()`` on every search backend.
    """
    paths = hidden_paths(user)
    if not paths:
        return queryset
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return queryset.exclude(condition)


def can_view_page(page: Page, user) -> bool:
    """May ``user`` open ``page`` at all (view restrictions on it or its ancestors)?"""
    return not any(page.path.startswith(path) for path in hidden_paths(user))


def is_members_only_page(page: Page) -> bool:
    """Is ``page`` (or its full content) meant for members only?

    True for pages flagged ``members_only`` and for pages on or below a page whose view
    restriction names the Members group. Decides which documents must be protected.
    """
    if getattr(page, "members_only", False):
        return True
    if not page.path:
        return False
    steplen = Page.steplen
    ancestor_paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return PageViewRestriction.objects.filter(
        page__path__in=ancestor_paths,
        restriction_type=PageViewRestriction.GROUPS,
        groups__name=MEMBERS_GROUP_NAME,
    ).exists()


def can_view_full_content(page, user) -> bool:
    """Full text of a case/resource flagged members-only is for members; others get a teaser."""
    if not can_view_page(page, user):
        return False
    if getattr(page, "members_only", False):
        return is_member(user)
    return True


def full_content_visible_pages(queryset, user):
    """``visible_pages`` without the pages whose full content is for members only (cases and
    resources flagged ``members_only``) unless ``user`` is a member: the queryset counterpart
    of ``can_view_full_content``, for what may be shown in full (a newsletter's items)."""
    queryset = visible_pages(queryset, user)
    flagged = any(field.name == "members_only" for field in queryset.model._meta.get_fields())
    if flagged and not is_member(user):
        return queryset.exclude(members_only=True)
    return queryset
