"""Wagtail's view-restriction lookup in one query instead of two (it runs on every page served)."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from wagtail.models import Page, PageViewRestriction


def restrictions_above(page: Page):
    """Restrictions on ``page`` or any ancestor, where an alias counts as its source page
    (Wagtail reads the ancestors' ``alias_of`` first, then the restrictions)."""
    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    page_ids = (
        Page.objects.filter(path__in=paths)
        .annotate(restricted_id=Coalesce("alias_of_id", "id"))
        .values("restricted_id")
    )
    return PageViewRestriction.objects.filter(page_id__in=page_ids)
