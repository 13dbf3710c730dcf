"""Hits of a page of results: title, URL and a highlighted snippet the reader may see."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models.query import prefetch_related_objects
from modelsearch.index import RelatedFields, SearchField
from wagtail.models import Page

from .. import text
from .facets import has_members_only
from .results import Hit
from .teasers import full_fields, reads_full_content, teaser_fields, teaser_text, text_of


def _hit(page, query, user, language, full_allowed: bool, teaser: str | None) -> Hit:
    model = type(page)
    teaser_only = has_members_only(model) and page.members_only and not full_allowed
    if teaser_only:
        source = teaser if teaser is not None else teaser_text(page)
    else:
        summary = getattr(page, "listing_summary", "") or getattr(page, "search_description", "")
        # Own text fields only: related names (themes, ...) would cost a query per hit.
        fields = [
            f for f in full_fields(model) if isinstance(f, SearchField) and f.field_name != "title"
        ]
        source = " ".join(filter(None, [summary, text_of(page, fields, stored_streams=True)]))
    return Hit(
        page=page,
        title=page.title,
        url=page.get_url(),
        snippet=text.highlight(text.plain_text(source), query, language),
        kind_label=str(model._meta.verbose_name).capitalize(),
        teaser_only=teaser_only,
    )


def _specific_pages(ids: list[int], models, content_types: dict[int, int] | None) -> list:
    """The pages ``ids`` as their own types: one query per type, and none to look the types
    up when the caller knows them (``models`` the ids can be of, or each id's content type)."""
    if models is None and content_types is not None:
        by_type = defaultdict(list)
        for pk in ids:
            by_type[content_types.get(pk)].append(pk)
        if None not in by_type:
            return [
                page
                for type_id, pks in by_type.items()
                if (model := ContentType.objects.get_for_id(type_id).model_class()) is not None
                for page in model.objects.filter(pk__in=pks)
            ]
    if models is None:
        return list(Page.objects.filter(pk__in=ids).specific())
    return [page for model in models for page in model.objects.filter(pk__in=ids)]


def load_hits(
    ids: list[int],
    query: str,
    user,
    language: str,
    *,
    models=None,
    content_types=None,
    teasers: dict[int, str] | None = None,
) -> list[Hit]:
    """The hits for ``ids``, in that order (see ``_specific_pages`` for the two hints).

    ``teasers``: the teaser texts of members-only hits already read for a teaser reader
    (``split_by_model``); those not given are read here.
    """
    teasers = teasers or {}
    by_id = {page.pk: page for page in _specific_pages(ids, models, content_types)}
    full_allowed = reads_full_content(user)
    if not full_allowed:
        # Teaser snippets include related names (themes): one query per model, not per hit.
        teaser_pages = defaultdict(list)
        for page in by_id.values():
            if has_members_only(type(page)) and page.members_only and page.pk not in teasers:
                teaser_pages[type(page)].append(page)
        for model, pages_of_model in teaser_pages.items():
            related = [f.field_name for f in teaser_fields(model) if isinstance(f, RelatedFields)]
            prefetch_related_objects(pages_of_model, *related)
    return [
        _hit(by_id[pk], query, user, language, full_allowed, teasers.get(pk))
        for pk in ids
        if pk in by_id
    ]
