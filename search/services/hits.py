"""Hits of a page of results: title, URL and a highlighted snippet the reader may see."""

from __future__ import annotations

from collections import defaultdict

from django.db.models.query import prefetch_related_objects
from modelsearch.index import RelatedFields, SearchField
from wagtail.models import Page

from .. import text
from .facets import has_members_only
from .results import Hit
from .teasers import full_fields, reads_full_content, teaser_fields, teaser_text, text_of


def _hit(page, query, user, language, full_allowed: bool) -> Hit:
    model = type(page)
    teaser_only = has_members_only(model) and page.members_only and not full_allowed
    if teaser_only:
        source = teaser_text(page)
    else:
        summary = getattr(page, "listing_summary", "") or getattr(page, "search_description", "")
        # Own text fields only: related names (themes, ...) would cost a query per hit.
        fields = [
            f for f in full_fields(model) if isinstance(f, SearchField) and f.field_name != "title"
        ]
        source = " ".join(filter(None, [summary, text_of(page, fields)]))
    return Hit(
        page=page,
        title=page.title,
        url=page.get_url(),
        snippet=text.highlight(text.plain_text(source), query, language),
        kind_label=str(model._meta.verbose_name).capitalize(),
        teaser_only=teaser_only,
    )


def load_hits(ids: list[int], query: str, user, language: str) -> list[Hit]:
    pages = Page.objects.filter(pk__in=ids).specific()
    by_id = {page.pk: page for page in pages}
    full_allowed = reads_full_content(user)
    if not full_allowed:
        # Teaser snippets include related names (themes): one query per model, not per hit.
        teaser_pages = defaultdict(list)
        for page in by_id.values():
            if has_members_only(type(page)) and page.members_only:
                teaser_pages[type(page)].append(page)
        for model, pages_of_model in teaser_pages.items():
            related = [f.field_name for f in teaser_fields(model) if isinstance(f, RelatedFields)]
            prefetch_related_objects(pages_of_model, *related)
    return [_hit(by_id[pk], query, user, language, full_allowed) for pk in ids if pk in by_id]
