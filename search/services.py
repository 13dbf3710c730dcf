"""Site search and the library search (cases and resources) with facets.

How a library search runs, the same way on every search backend:

1. The backend ranks the ids of *visible* live pages that match the query
   (``members_area.access.visible_pages``; ``RankedIdsMixin`` on Elasticsearch/OpenSearch,
   the ranked queryset on the database backends).
2. For people who may not read members-only items in full, members-only hits are kept only if
   the query matches their *teaser* (``TEASER_SEARCH_FIELDS``, same stemming as PostgreSQL's
   Danish configuration), their snippets are cut from the teaser, and their order among
   themselves follows the teaser: the full text may decide what members find, never what the
   public finds. (Which places in the list members-only hits take is still the engine's
   ranking over the whole document.)
3. Filters, facet counts (one grouped ORM query per facet, on the id set of step 1-2),
   ordering and pagination run in the database. So results and counts can only ever contain
   what survived steps 1-2.
4. A facet over a field the public teaser does not show (``TEASER_FILTER_FIELDS`` on the
   model; the case actors, say) counts and matches only public items for those readers: else
   ``?aktoerer=<id>`` would tell anyone which members-only cases have which partners.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, IntegerField
from django.db.models.expressions import RawSQL
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelsearch.index import RelatedFields, SearchField
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from members_area.access import is_member, visible_pages

from . import text

PAGE_SIZE = 20
MAX_RESULTS = 10_000
AUTOCOMPLETE_LIMIT = 8
KINDS = ("cases", "resources")


# --- Library models and facets ----------------------------------------------------------------


@dataclass(frozen=True)
class FacetSpec:
    """A facet: ``key`` is the GET parameter, ``lookup`` the field it counts (on every
    searched model that has it)."""

    key: str
    label: Any
    lookup: str
    order: str = "count"  # or "value_desc" (years)


KIND_FACET = FacetSpec("type", _("Indhold"), "")
RESOURCE_FACETS = (
    FacetSpec("format", _("Type"), "resource_type"),
    FacetSpec("tema", _("Tema"), "themes"),
    FacetSpec("aar", _("År"), "year", order="value_desc"),
    FacetSpec("sprog", _("Sprog"), "language"),
)
CASE_FACETS = (
    FacetSpec("fase", _("Fase"), "stage"),
    FacetSpec("omfang", _("National/international"), "scope"),
    FacetSpec("land", _("Land"), "country"),
    FacetSpec("kommune", _("Kommune"), "municipality"),
    FacetSpec("aktoerer", _("Aktører"), "actors"),
    FacetSpec("tema", _("Tema"), "themes"),
)
SHARED_FACETS = (FacetSpec("tema", _("Tema"), "themes"),)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def library_models() -> dict[str, type[Page]]:
    """The page models of the library, by kind (only those the project has)."""
    found = {}
    for kind, label in (("cases", "cases.CasePage"), ("resources", "resources.ResourcePage")):
        try:
            found[kind] = apps.get_model(label)
        except LookupError:
            continue
    return found


def _field_exists(model, lookup: str) -> bool:
    try:
        model._meta.get_field(lookup)
    except FieldDoesNotExist:
        return False
    return True


def _lookup_for(model, spec: FacetSpec) -> str | None:
    return spec.lookup if spec.lookup and _field_exists(model, spec.lookup) else None


def _has_members_only(model) -> bool:
    return _field_exists(model, "members_only")


def _gated_for(model, lookup: str, teaser_reader: bool) -> bool:
    """Must a facet on ``lookup`` leave out ``model``'s members-only items for this reader?

    Yes for people reading teasers only, unless the model declares ``lookup`` a teaser field
    (``TEASER_FILTER_FIELDS``: shown publicly on a members-only item's page).
    """
    return (
        teaser_reader
        and _has_members_only(model)
        and lookup not in getattr(model, "TEASER_FILTER_FIELDS", ())
    )


# --- Ranking and privacy ------------------------------------------------------------------------


def active_locale() -> Locale:
    try:
        return Locale.get_active()
    except Locale.DoesNotExist:
        return Locale.get_default()


def ranked_ids(queryset, query: str) -> list[int]:
    """Ids of ``queryset`` matching ``query``, best first, without loading the pages."""
    backend = get_search_backend()
    if hasattr(backend, "ranked_ids"):
        return backend.ranked_ids(queryset, query, operator="and", limit=MAX_RESULTS)
    results = backend.search(query, queryset, operator="and")
    if type(results).__name__ == "SQLiteSearchResults":
        return _sqlite_ranked_ids(results)
    if hasattr(results, "get_queryset"):  # PostgreSQL (and MySQL): ranked in one query
        return list(results.get_queryset().values_list("pk", flat=True)[:MAX_RESULTS])
    return [obj.pk for obj in results[:MAX_RESULTS]]


def _sqlite_ranked_ids(results, limit: int = MAX_RESULTS) -> list[int]:
    """Rank with one pass over the FTS5 table.

    modelsearch's SQLite backend orders by relevance through a correlated subquery that
    re-runs the MATCH for every candidate row: quadratic, a minute for a query that matches
    thousands of pages. Here the FTS table is queried once (bm25, lower is better) and the
    visible queryset is applied as a set.
    """
    from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
    from modelsearch.utils import get_descendants_content_types_pks
    from wagtail.search.models import SQLiteFTSIndexEntry

    compiler = results.query_compiler
    normalized = normalize(compiler.query)
    match = MatchExpression(
        compiler.fields or compiler.FTS_TABLE_FIELDS,
        compiler.build_search_query(normalized, config=compiler.get_config(results.backend)),
    )
    entries = SQLiteFTSIndexEntry.objects.filter(match).filter(
        index_entry__content_type__in=get_descendants_content_types_pks(compiler.queryset.model)
    )
    ranked = entries.annotate(score=BM25()).order_by("score", "-index_entry__object_id")
    matched_ids = entries.values("index_entry__object_id")
    allowed = set(compiler.queryset.filter(pk__in=matched_ids).values_list("pk", flat=True))
    ids = []
    for object_id in ranked.values_list("index_entry__object_id", flat=True):
        pk = int(object_id)
        if pk in allowed:
            ids.append(pk)
            if len(ids) >= limit:
                break
    return ids


def id_set(ids) -> RawSQL | list:
    """``pk__in`` right-hand side for a large id list, sent as ONE parameter.

    Facet counting reuses the search's id set in several queries; as a plain list Django
    prepares and binds every id for every query (most of the time spent at 10,000 hits).
    """
    ids = [int(pk) for pk in ids]
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"}:
        return ids
    if vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def reads_full_content(user) -> bool:
    """May ``user`` read members-only flagged items in full?

    On pages already filtered by ``visible_pages`` this is exactly what
    ``access.can_view_full_content`` answers for a ``members_only`` page; asked once per
    search instead of once per hit.
    """
    return is_member(user)


def _text_of(obj, search_fields) -> str:
    """The plain text that ``search_fields`` (SearchField/RelatedFields) index for ``obj``."""
    parts: list[str] = []
    for search_field in search_fields:
        if isinstance(search_field, RelatedFields):
            value = search_field.get_value(obj)
            if value is None:
                continue
            related = value.all() if hasattr(value, "all") else [value]
            for item in related:
                parts.append(_text_of(item, search_field.fields))
        elif isinstance(search_field, SearchField):
            value = search_field.get_value(obj)
            if isinstance(value, (list, tuple)):
                parts.extend(str(v) for v in value)
            elif isinstance(value, dict):
                parts.extend(str(v) for v in value.values())
            elif value:
                parts.append(str(value))
    return " ".join(part for part in parts if part)


def teaser_fields(model) -> list:
    return list(
        getattr(model, "TEASER_SEARCH_FIELDS", None)
        or [SearchField("title"), SearchField("listing_summary")]
    )


def full_fields(model) -> list:
    return list(getattr(model, "FULL_SEARCH_FIELDS", None) or model.get_searchable_search_fields())


def teaser_text(page) -> str:
    return _text_of(page, teaser_fields(type(page)))


def _teaser_texts(model, ids) -> dict[int, str]:
    """Teaser text per page id, read with ``values_list`` where the fields are columns."""
    texts: dict[int, list[str]] = {pk: [] for pk in ids}
    columns, others = [], []
    for search_field in teaser_fields(model):
        if isinstance(search_field, RelatedFields):
            subs = [
                f"{search_field.field_name}__{sub.field_name}"
                for sub in search_field.fields
                if isinstance(sub, SearchField)
            ]
            rows = model.objects.filter(pk__in=id_set(ids)).values_list("pk", *subs)
            for pk, *values in rows:
                texts[pk].extend(str(v) for v in values if v)
        elif _field_exists(model, search_field.field_name) and not isinstance(
            model._meta.get_field(search_field.field_name), StreamField
        ):
            columns.append(search_field.field_name)
        else:
            others.append(search_field)
    if columns:
        for pk, *values in model.objects.filter(pk__in=id_set(ids)).values_list("pk", *columns):
            texts[pk].extend(str(v) for v in values if v)
    if others:  # methods, StreamFields: need the instances
        for page in model.objects.filter(pk__in=id_set(ids)):
            texts[page.pk].append(_text_of(page, others))
    return {pk: " ".join(parts) for pk, parts in texts.items()}


def _rank_for_teaser_reader(ranked, ids_by_model, query, user, language) -> list[int]:
    """The engine's ranking as a reader of teasers only may have it.

    Members-only hits stay only if their teaser matches. The engine ranks them on the whole
    document, so their order among themselves would tell how much their hidden text is about
    the query: they are dealt back into the places the engine gave them ordered by their
    teaser alone (most matching words first, then the oldest page). ``ids_by_model`` (from
    ``_split_by_model``) is narrowed to the hits kept.
    """
    if reads_full_content(user):
        return ranked
    teasers: dict[int, str] = {}
    for model, ids in ids_by_model.items():
        if ids and _has_members_only(model):
            gated = model.objects.filter(pk__in=id_set(ids), members_only=True)
            teasers.update(_teaser_texts(model, list(gated.values_list("pk", flat=True))))
    if not teasers:
        return ranked
    kept = {
        pk: teaser
        for pk, teaser in teasers.items()
        if text.matches_all_terms(teaser, query, language)
    }
    ranked = [pk for pk in ranked if pk not in teasers or pk in kept]
    for model, ids in ids_by_model.items():
        ids_by_model[model] = [pk for pk in ids if pk not in teasers or pk in kept]
    places = [position for position, pk in enumerate(ranked) if pk in kept]
    by_teaser = sorted(kept, key=lambda pk: (-text.count_matches(kept[pk], query, language), pk))
    for position, pk in zip(places, by_teaser, strict=True):
        ranked[position] = pk
    return ranked


# --- Results ------------------------------------------------------------------------------------


@dataclass
class Hit:
    page: Page
    title: str
    url: str
    snippet: str
    kind_label: str
    teaser_only: bool


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]

    @property
    def has_selection(self) -> bool:
        return any(value.selected for value in self.values)


@dataclass
class Suggestions:
    without_filters_count: int = 0
    similar_titles: list[str] = field(default_factory=list)
    popular_themes: list[FacetValue] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.without_filters_count or self.similar_titles or self.popular_themes)


@dataclass
class LibraryResult:
    query: str
    kind: str | None
    sort: str
    filters: dict[str, list[str]]
    page: PaginatorPage
    total: int
    facets: list[Facet]
    suggestions: Suggestions

    @property
    def hits(self) -> list[Hit]:
        return list(self.page.object_list)


@dataclass
class SiteSearchResult:
    query: str
    page: PaginatorPage
    total: int


def _clean_filters(filters: dict | None, specs) -> dict[str, list[str]]:
    keys = {spec.key for spec in specs} | {KIND_FACET.key}
    cleaned = {}
    for key, values in (filters or {}).items():
        if key not in keys:
            continue
        values = [values] if isinstance(values, str) else list(values)
        values = [str(v)[:100] for v in values if str(v).strip()][:50]
        if values:
            cleaned[key] = values
    return cleaned


def _apply_filters(
    model, queryset, specs, filters, *, teaser_reader: bool, skip: str | None = None
):
    """AND across facets, OR within one; ``skip`` leaves one facet out (for its own counts).

    A filter on a non-teaser field matches only public items for a ``teaser_reader``.
    """
    for spec in specs:
        if spec.key == skip or spec.key not in filters:
            continue
        lookup = _lookup_for(model, spec)
        if lookup is None:
            continue
        if _gated_for(model, lookup, teaser_reader):
            queryset = queryset.filter(members_only=False)
        field_obj = model._meta.get_field(lookup)
        values = filters[spec.key]
        if field_obj.is_relation or isinstance(field_obj, IntegerField):
            values = [int(v) for v in values if v.lstrip("-").isdigit()]
        condition = {f"{lookup}__in": values}
        if field_obj.many_to_many or field_obj.one_to_many:
            # A subquery, not a join: a page with two chosen themes still counts once.
            queryset = queryset.filter(pk__in=model.objects.filter(**condition).values("pk"))
        else:
            queryset = queryset.filter(**condition)
    return queryset


def _value_labels(model, lookup: str, values) -> dict:
    field_obj = model._meta.get_field(lookup)
    if field_obj.is_relation:
        return {pk: str(obj) for pk, obj in field_obj.related_model.objects.in_bulk(values).items()}
    if field_obj.choices:
        return {key: str(label) for key, label in field_obj.flatchoices}
    return {}


def _count_facet(
    per_model_querysets, spec: FacetSpec, selected: list[str], *, teaser_reader: bool
) -> Facet | None:
    """Values of one facet with their counts; a ``teaser_reader`` counts only public items
    on a non-teaser field."""
    counts: Counter = Counter()
    labels: dict = {}
    present = False
    for model, queryset in per_model_querysets:
        lookup = _lookup_for(model, spec)
        if lookup is None:
            continue
        present = True
        if _gated_for(model, lookup, teaser_reader):
            queryset = queryset.filter(members_only=False)
        rows = (
            queryset.order_by()
            .values_list(lookup)
            .annotate(n=Count("pk", distinct=True))
            .values_list(lookup, "n")
        )
        model_counts = {value: n for value, n in rows if value not in (None, "")}
        counts.update(model_counts)
        labels.update(_value_labels(model, lookup, list(model_counts)))
    if not present:
        return None
    values = [
        FacetValue(
            value=str(value),
            label=str(labels.get(value, value)),
            count=n,
            selected=str(value) in selected,
        )
        for value, n in counts.items()
    ]
    # Selected values stay visible even when the other filters leave them no hits.
    for value in selected:
        if value not in {v.value for v in values}:
            values.append(FacetValue(value=value, label=value, count=0, selected=True))
    if spec.order == "value_desc":
        values.sort(key=lambda v: v.value, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label.lower()))
    return Facet(key=spec.key, label=str(spec.label), values=values)


def _kind_labels(models: dict) -> dict[str, str]:
    return {
        kind: str(model._meta.verbose_name_plural).capitalize() for kind, model in models.items()
    }


def _hit(page, query, user, language, full_allowed: bool) -> Hit:
    model = type(page)
    teaser_only = _has_members_only(model) and page.members_only and not full_allowed
    if teaser_only:
        source = teaser_text(page)
    else:
        summary = getattr(page, "listing_summary", "") or getattr(page, "search_description", "")
        # Own text fields only: related names (themes, ...) would cost a query per hit.
        fields = [
            f for f in full_fields(model) if isinstance(f, SearchField) and f.field_name != "title"
        ]
        source = " ".join(filter(None, [summary, _text_of(page, fields)]))
    return Hit(
        page=page,
        title=page.title,
        url=page.get_url(),
        snippet=text.highlight(strip_tags(source), query, language),
        kind_label=str(model._meta.verbose_name).capitalize(),
        teaser_only=teaser_only,
    )


def _load_hits(ids: list[int], query: str, user, language: str) -> list[Hit]:
    pages = Page.objects.filter(pk__in=ids).specific()
    by_id = {page.pk: page for page in pages}
    full_allowed = reads_full_content(user)
    return [_hit(by_id[pk], query, user, language, full_allowed) for pk in ids if pk in by_id]


def library_search(
    user,
    *,
    query: str = "",
    kind: str | None = None,
    filters: dict | None = None,
    sort: str = "relevance",
    page: int | str | None = 1,
    locale: Locale | None = None,
    page_size: int = PAGE_SIZE,
) -> LibraryResult:
    """Search cases and/or resources with facets, as ``user`` may see them."""
    user = user or AnonymousUser()  # one object per search: access memoises per user
    query = (query or "").strip()[:200]
    sort = sort if sort in {"relevance", "date"} else "relevance"
    available = library_models()
    kind = kind if kind in available else None
    models = {kind: available[kind]} if kind else available
    specs = (
        RESOURCE_FACETS
        if kind == "resources"
        else CASE_FACETS
        if kind == "cases"
        else SHARED_FACETS
    )
    filters = _clean_filters(filters, specs)
    locale = locale or active_locale()
    language = locale.language_code[:2]
    teaser_reader = not reads_full_content(user)

    visible = {
        model: visible_pages(model.objects.live().filter(locale=locale), user)
        for model in models.values()
    }
    ranked: list[int] | None = None
    if query and models:
        base = visible_pages(Page.objects.live().filter(locale=locale).type(*models.values()), user)
        ranked = ranked_ids(base, query)
        ids_by_model = _split_by_model(ranked, visible)
        ranked = _rank_for_teaser_reader(ranked, ids_by_model, query, user, language)
        # The ids were checked against ``visible`` in _split_by_model: counting on them alone
        # spares every facet query the join with the page tree and its restrictions.
        matched = {
            model: model.objects.filter(pk__in=id_set(ids_by_model[model])) for model in visible
        }
    else:
        matched = dict(visible)

    # Kind facet (only when searching both kinds) counts with the other filters applied.
    model_kinds = {model: k for k, model in models.items()}
    selected_kinds = [k for k in filters.get(KIND_FACET.key, []) if k in models]
    filtered = {
        model: _apply_filters(model, qs, specs, filters, teaser_reader=teaser_reader)
        for model, qs in matched.items()
    }
    facets: list[Facet] = []
    if not kind and len(models) > 1:
        labels = _kind_labels(models)
        facets.append(
            Facet(
                key=KIND_FACET.key,
                label=str(KIND_FACET.label),
                values=[
                    FacetValue(k, labels[k], filtered[model].count(), k in selected_kinds)
                    for model, k in model_kinds.items()
                ],
            )
        )
    in_kinds = {
        model: qs
        for model, qs in filtered.items()
        if not selected_kinds or model_kinds[model] in selected_kinds
    }
    for spec in specs:
        per_model = [
            (
                model,
                _apply_filters(
                    model, qs, specs, filters, teaser_reader=teaser_reader, skip=spec.key
                ),
            )
            for model, qs in matched.items()
            if not selected_kinds or model_kinds[model] in selected_kinds
        ]
        facet = _count_facet(
            per_model, spec, filters.get(spec.key, []), teaser_reader=teaser_reader
        )
        if facet is not None and facet.values:
            facets.append(facet)

    ordered = _order(in_kinds, ranked, sort)
    paginator = Paginator(ordered, page_size)
    page_obj = paginator.get_page(page)
    page_obj.object_list = _load_hits(list(page_obj.object_list), query, user, language)

    suggestions = Suggestions()
    if not ordered:
        suggestions = _suggestions(query, matched, visible, filters, user, locale)
    return LibraryResult(
        query=query,
        kind=kind,
        sort=sort,
        filters=filters,
        page=page_obj,
        total=paginator.count,
        facets=facets,
        suggestions=suggestions,
    )


def _split_by_model(ranked: list[int], visible: dict) -> dict:
    """Which ranked ids belong to which model, re-checked against the visible querysets."""
    wanted = set(ranked)
    ids_by_model = {}
    for model, qs in visible.items():
        found = (
            set(qs.filter(pk__in=id_set(wanted)).values_list("pk", flat=True)) if wanted else set()
        )
        ids_by_model[model] = [pk for pk in ranked if pk in found]
    return ids_by_model


def _order(querysets: dict, ranked: list[int] | None, sort: str) -> list[int]:
    """Ranked order, or newest first: publication year where the model has one, then the
    date the page was first published."""
    if ranked is not None and sort == "relevance":
        keep = set()
        for qs in querysets.values():
            keep.update(qs.values_list("pk", flat=True))
        return [pk for pk in ranked if pk in keep]
    rows: list[tuple] = []
    for model, qs in querysets.items():
        if _field_exists(model, "year"):
            values = qs.values_list("year", "first_published_at", "pk")
        else:
            values = (
                (None, published, pk)
                for published, pk in qs.values_list("first_published_at", "pk")
            )
        for year, published, pk in values:
            rows.append((year or (published.year if published else 0), published or _EPOCH, pk))
    rows.sort(reverse=True)
    return [pk for _year, _published, pk in rows]


def _suggestions(query, matched, visible, filters, user, locale) -> Suggestions:
    suggestions = Suggestions()
    if filters:
        suggestions.without_filters_count = sum(qs.count() for qs in matched.values())
    if query:
        suggestions.similar_titles = [
            item["title"] for item in autocomplete(user, _shorter(query), locale=locale)
        ][:5]
    theme_facet = _count_facet(
        [(model, qs) for model, qs in visible.items()],
        SHARED_FACETS[0],
        [],
        teaser_reader=not reads_full_content(user),
    )
    if theme_facet:
        suggestions.popular_themes = theme_facet.values[:6]
    return suggestions


def _shorter(query: str) -> str:
    """The first word cut to a prefix, so a misspelt or inflected word finds its neighbours."""
    words = text.query_terms(query) or query.split()
    if not words:
        return ""
    first = words[0]
    return first[: max(3, len(first) - 3)]


# --- Autocomplete and site search ---------------------------------------------------------------


def autocomplete(
    user, query: str, *, locale: Locale | None = None, limit: int = AUTOCOMPLETE_LIMIT
):
    """Titles and URLs of visible live pages whose title starts with the words typed.

    Titles are teaser fields, so members-only items may be suggested to everyone.
    """
    user = user or AnonymousUser()
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return []
    locale = locale or active_locale()
    pages = visible_pages(Page.objects.live().filter(locale=locale, depth__gt=2), user)
    results = get_search_backend().autocomplete(query, pages)
    if type(results).__name__ == "SQLiteSearchResults":
        ids = _sqlite_ranked_ids(results, limit=limit * 2)
        by_id = Page.objects.in_bulk(ids)
        candidates = [by_id[pk] for pk in ids if pk in by_id]
    else:
        candidates = results[: limit * 2]
    items = []
    for page in candidates:
        url = page.get_url()
        if url and page.title not in {item["title"] for item in items}:
            items.append({"title": page.title, "url": url})
        if len(items) >= limit:
            break
    return items


def site_search(
    user,
    query: str,
    page: int | str | None = 1,
    *,
    locale: Locale | None = None,
    page_size: int = PAGE_SIZE,
) -> SiteSearchResult:
    """Search every visible live page type (pages, news, cases, resources, events)."""
    user = user or AnonymousUser()
    query = (query or "").strip()[:200]
    locale = locale or active_locale()
    language = locale.language_code[:2]
    ids: list[int] = []
    if query:
        pages = visible_pages(Page.objects.live().filter(locale=locale, depth__gt=1), user)
        ranked = ranked_ids(pages, query)
        found = set(pages.filter(pk__in=id_set(ranked)).values_list("pk", flat=True))
        ranked = [pk for pk in ranked if pk in found]
        library = {model: model.objects.all() for model in library_models().values()}
        ids_by_model = _split_by_model(ranked, library)
        ids = _rank_for_teaser_reader(ranked, ids_by_model, query, user, language)
    paginator = Paginator(ids, page_size)
    page_obj = paginator.get_page(page)
    page_obj.object_list = _load_hits(list(page_obj.object_list), query, user, language)
    return SiteSearchResult(query=query, page=page_obj, total=paginator.count)


FACET_KEYS = frozenset({spec.key for spec in RESOURCE_FACETS + CASE_FACETS} | {KIND_FACET.key})


def is_library_search(request) -> bool:
    """Does the request ask for a search (a query or a filter), not just the first listing?"""
    params = request.GET
    return bool(params.get("q", "").strip()) or any(params.getlist(key) for key in FACET_KEYS)


def library_search_for_request(request, *, kind: str | None = None, page_size: int = PAGE_SIZE):
    """``library_search`` from a GET request (``q``, ``sort``, ``side`` and one list per facet).

    For pages that embed the library search (``LibraryPage``, ``CaseIndexPage``) and for the
    search app's own view. ``kind`` fixes the kind; otherwise ``?type=`` may choose one.
    """
    params = request.GET
    filters = {key: params.getlist(key) for key in FACET_KEYS if params.getlist(key)}
    return library_search(
        request.user,
        query=params.get("q", ""),
        kind=kind,
        filters=filters,
        sort=params.get("sort", "relevance"),
        page=params.get("side", 1),
        page_size=page_size,
    )


def query_string_without_page(request) -> str:
    """The current GET parameters minus the page number, for pagination links."""
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()
