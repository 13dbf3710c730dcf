"""Hits of a page of results: title, URL and a highlighted snippet the reader may see.

A hit needs a few columns of its page, not the page: the pages of a result list are read as
plain values, one prepared statement per page type (``sql.prepared``). Building and
compiling a queryset and making a specific page (StreamFields, clusters) cost far more than
the statement itself. A page is made, from the values already read, only where a teaser
needs its related rows (themes) or its type computes its URL itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.db.models import DEFERRED
from django.db.models.query import prefetch_related_objects
from django.utils.http import RFC3986_SUBDELIMS
from modelsearch.index import RelatedFields, SearchField
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Site

from .. import text
from .facets import has_members_only
from .results import Hit
from .sql import ids_to_bind, prepared, run
from .teasers import (
    column_text,
    full_fields,
    reads_full_content,
    teaser_fields,
    teaser_text,
    text_of,
)


def _is_column(model, name: str) -> bool:
    return any(field.attname == name for field in model._meta.concrete_fields)


@dataclass(frozen=True)
class _Layout:
    """What a hit of one page type reads: ``columns`` (attnames, the pk first)."""

    columns: tuple[str, ...]
    gated: bool  # has a members-only flag
    snippet_fields: tuple  # SearchFields read from the columns
    instance_fields: tuple  # SearchFields that need the page (none in this project)
    own_url: bool  # the type computes its URL itself


def _wagtails_urls(model) -> bool:
    """Does ``model`` use Wagtail's URLs (``Page.get_url_parts``, or an override that only
    computes them faster and says so: ``BasePage``)?"""
    parts = model.get_url_parts
    return model.get_url is Page.get_url and (
        parts is Page.get_url_parts or getattr(parts, "same_urls_as_wagtail", False)
    )


@cache
def _layout(model) -> _Layout:
    snippet = [
        f for f in full_fields(model) if isinstance(f, SearchField) and f.field_name != "title"
    ]
    gated = has_members_only(model)
    wanted = [model._meta.pk.attname, "title", "url_path", "search_description"]
    wanted += ["listing_summary", "members_only"] + [f.field_name for f in snippet]
    if gated:
        wanted += [f.field_name for f in teaser_fields(model) if isinstance(f, SearchField)]
    columns = tuple(dict.fromkeys(name for name in wanted if _is_column(model, name)))
    return _Layout(
        columns=columns,
        gated=gated,
        snippet_fields=tuple(f for f in snippet if f.field_name in columns),
        instance_fields=tuple(f for f in snippet if f.field_name not in columns),
        own_url=not _wagtails_urls(model),
    )


class _Address:
    """Wagtail's own ``Page.get_url`` for a page known by its ``url_path`` alone, with the
    site root paths read once for the list (``Page._get_site_root_paths`` keeps them on the
    object it is called on)."""

    get_url = Page.get_url
    get_url_parts = Page.get_url_parts
    _get_site_root_paths = Page._get_site_root_paths
    _get_relevant_site_root_paths = Page._get_relevant_site_root_paths

    def __init__(self, url_path: str, root_paths):
        self.url_path = url_path
        self._wagtail_cached_site_root_paths = root_paths


@cache
def _served_path() -> re.Pattern:
    """The paths Wagtail's serve view matches (its URLconf imports views: not at startup)."""
    from wagtail import urls as wagtail_urls

    return re.compile(wagtail_urls.serve_pattern)


# What Django's ``reverse`` leaves unquoted in a URL.
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"


class _Urls:
    """``Page.get_url()`` of the pages of one result list, from their ``url_path``.

    Wagtail reverses its serve view for every page (a language switch and a URL resolver
    walk each). Its answer for a site root (``_Address``) is the address every page below
    that root starts with; the rest of the path is what ``reverse`` appends, quoted as it
    quotes. Paths the serve view would not match are left to Wagtail.
    """

    def __init__(self):
        self.root_paths = Site.get_site_root_paths()
        self.roots: dict[str, str | None] = {}

    def __call__(self, url_path: str) -> str | None:
        root = next((r for r in self.root_paths if url_path.startswith(r.root_path)), None)
        rest = url_path[len(root.root_path) :] if root else ""
        if root is None or not WAGTAIL_APPEND_SLASH or not _served_path().match(rest):
            return _Address(url_path, self.root_paths).get_url()
        if root.root_path not in self.roots:
            self.roots[root.root_path] = _Address(root.root_path, self.root_paths).get_url()
        address = self.roots[root.root_path]
        return None if address is None else address + quote(rest, safe=_URL_SAFE)


def _page(model, values: dict):
    """The page made from the values read (the others deferred), as the ORM would make it."""
    known = {**values, "id": values[model._meta.pk.attname]}
    fields = model._meta.concrete_fields
    return model.from_db(
        model.objects.db,
        [field.attname for field in fields if field.attname in known],
        [known.get(field.attname, DEFERRED) for field in fields],
    )


def _rows(ids: list[int], models, content_types: dict[int, int] | None) -> dict[int, tuple]:
    """``(model, values)`` of each of ``ids``: one statement per type, and none to look the
    types up when the caller knows them (``models`` the ids can be of, or each id's type)."""
    if models is None:
        if content_types is None or any(pk not in content_types for pk in ids):
            content_types = dict(Page.objects.filter(pk__in=ids).values_list("pk", "content_type"))
        by_type = defaultdict(list)
        for pk in ids:
            by_type[content_types[pk]].append(pk)
        wanted = [
            (model, pks)
            for type_id, pks in by_type.items()
            if (model := ContentType.objects.get_for_id(type_id).model_class()) is not None
        ]
    else:
        wanted = [(model, ids) for model in models]
    found = {}
    for model, pks in wanted:
        columns = _layout(model).columns
        statement = prepared(
            ("hits", model),
            lambda model=model, columns=columns: (
                model.objects.filter(pk__in=ids_to_bind()).order_by().values_list(*columns)
            ),
        )
        for row in run(statement, pks):
            found[row[0]] = (model, dict(zip(columns, row, strict=True)))
    return found


def _missing_teasers(rows: dict[int, tuple], teasers: dict[int, str]) -> dict[int, str]:
    """Teaser texts of the members-only hits ``teasers`` does not hold, related names (themes)
    included: one query per type and relation, not per hit."""
    pages = defaultdict(list)
    for pk, (model, values) in rows.items():
        if _layout(model).gated and values.get("members_only") and pk not in teasers:
            pages[model].append(_page(model, values))
    missing = {}
    for model, pages_of_model in pages.items():
        related = [f.field_name for f in teaser_fields(model) if isinstance(f, RelatedFields)]
        prefetch_related_objects(pages_of_model, *related)
        missing.update((page.pk, teaser_text(page)) for page in pages_of_model)
    return missing


def _hit(model, values: dict, query, language, full_allowed: bool, teaser, urls) -> Hit:
    layout = _layout(model)
    teaser_only = layout.gated and bool(values["members_only"]) and not full_allowed
    if teaser_only:
        source = teaser
    else:
        summary = values.get("listing_summary") or values["search_description"]
        parts = [summary, column_text(model, values, layout.snippet_fields)]
        if layout.instance_fields:
            parts.append(text_of(_page(model, values), layout.instance_fields, stored_streams=True))
        source = " ".join(filter(None, parts))
    if layout.own_url:
        url = _page(model, values).get_url()
    else:
        url = urls(values["url_path"])
    return Hit(
        title=values["title"],
        url=url,
        snippet=text.highlight(text.plain_text(source), query, language),
        kind_label=str(model._meta.verbose_name).capitalize(),
        teaser_only=teaser_only,
    )


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
    """The hits for ``ids``, in that order (see ``_rows`` for the two hints).

    ``teasers``: the teaser texts of members-only hits already read for a teaser reader
    (``split_by_model``); those not given are read here.
    """
    if not ids:
        return []
    rows = _rows(ids, models, content_types)
    full_allowed = reads_full_content(user)
    teasers = teasers or {}
    if not full_allowed:
        teasers = {**teasers, **_missing_teasers(rows, teasers)}
    urls = _Urls()
    return [
        _hit(*rows[pk], query, language, full_allowed, teasers.get(pk), urls)
        for pk in ids
        if pk in rows
    ]
