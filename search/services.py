"""Site search and the library search (cases and resources) with facets.

How a library search runs, the same way on every search backend:

1. The backend ranks the ids of *visible* live pages that match the query
   (``members_area.access.visible_pages``; ``RankedIdsMixin`` on Elasticsearch/OpenSearch,
   ``search.backends.database`` on PostgreSQL and SQLite).
2. For people who may not read members-only items in full, members-only hits are kept only if
   the query matches their *teaser* (``TEASER_SEARCH_FIELDS``, same stemming as PostgreSQL's
   Danish configuration), their snippets are cut from the teaser, and their order among
   themselves follows the teaser: the full text may decide what members find, never what the
   public finds. (Which places in the list members-only hits take is still the engine's
   ranking over the whole document.)
3. Filters, facet counts, ordering and pagination run in the database, on the ids that
   survived steps 1-2 (sent once per statement as ``library_hits``) or, without a query, on the
   visible pages. So results and counts can only ever contain what survived steps 1-2. ORM
   querysets decide which pages count under which values; all counts come from ONE statement
   that only groups their rows (``_facet_counts``), a page sorted by date from one more.
4. A facet over a field the public teaser does not show (``TEASER_FILTER_FIELDS`` on the
   model; the case actors, say) counts and matches only public items for those readers: else
   ``?aktoerer=<id>`` would tell anyone which members-only cases have which partners.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    F,
    IntegerField,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Concat, ExtractYear, NullIf
from django.db.models.query import prefetch_related_objects
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelsearch.index import RelatedFields, SearchField
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from members_area.access import is_member, visible_pages

from . import text
from .backends import database

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
# Pages never published sort as if published at the epoch (after every real date, newest first).
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
    ids = database.ranked_ids(results, MAX_RESULTS)
    if ids is not None:
        return ids
    if hasattr(results, "get_queryset"):  # a query database.ranked_ids leaves to modelsearch
        return list(results.get_queryset().values_list("pk", flat=True)[:MAX_RESULTS])
    return [obj.pk for obj in results[:MAX_RESULTS]]


def id_set(ids) -> RawSQL:
    """``pk__in`` right-hand side for a large id list, sent as ONE parameter."""
    return RawSQL(_ids_sql(), (_id_literal(ids),))


def _id_literal(ids) -> str:
    """The ids as ONE parameter: a PostgreSQL array literal or a JSON list.

    As a plain list Django would bind every id separately; this way the database parses them,
    far faster than the driver adapts them one by one.
    """
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return "{" + ",".join(map(str, ids)) + "}"
    return json.dumps(ids)


def _ids_sql() -> str:
    """SQL yielding the ids of ``_id_literal`` as rows."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])"
    if connection.vendor == "sqlite":
        return "SELECT value FROM json_each(%s)"
    raise NotImplementedError(f"Search needs PostgreSQL or SQLite, not {connection.vendor}")


# The ids of a search in the statements of ``_fetch``: ``pk__in=HITS``.
HITS_TABLE = "library_hits"
HITS = RawSQL(f"SELECT id FROM {HITS_TABLE}", ())


def _compiled(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _union(querysets) -> tuple[str, list]:
    """``UNION ALL`` of querysets with alike columns; those that can match nothing are left out
    (Django will not compile ``pk__in=[]``)."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, queryset_params = _compiled(queryset)
        except EmptyResultSet:
            continue
        parts.append(f"SELECT * FROM ({sql}) AS part_{len(parts)}")
        params.extend(queryset_params)
    return " UNION ALL ".join(parts), params


def _fetch(sql: str, params, *, hits: list[int] | None = None, ctes=()) -> list[tuple]:
    """Rows of one statement that may read ``ctes`` (``(definition, params)`` pairs) and, with
    ``hits``, ``library_hits(id)``: the ids sent once, however many parts read them."""
    if not sql:
        return []
    definitions, all_params = [], []
    if hits is not None:
        definitions.append(f"{HITS_TABLE}(id) AS ({_ids_sql()})")
        all_params.append(_id_literal(hits))
    for definition, cte_params in ctes:
        definitions.append(definition)
        all_params.extend(cte_params)
    if definitions:
        sql = f"WITH {', '.join(definitions)} {sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*all_params, *params])
        return cursor.fetchall()


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


def _teaser_sources(model) -> tuple[list[str], list[str], list]:
    """Where ``model``'s teaser text comes from: its columns, lookups of related rows
    (``themes__name``), and fields that need the instances (methods, StreamFields)."""
    columns, related, others = [], [], []
    for search_field in teaser_fields(model):
        if isinstance(search_field, RelatedFields):
            related += [
                f"{search_field.field_name}__{sub.field_name}"
                for sub in search_field.fields
                if isinstance(sub, SearchField)
            ]
        elif _field_exists(model, search_field.field_name) and not isinstance(
            model._meta.get_field(search_field.field_name), StreamField
        ):
            columns.append(search_field.field_name)
        else:
            others.append(search_field)
    return columns, related, others


def _split_by_model(
    ranked: list[int], querysets: dict, *, teasers: bool
) -> tuple[dict, dict[int, str]]:
    """Which ranked ids belong to which model, re-checked against ``querysets`` (the visible
    pages); with ``teasers``, the teaser text of those flagged members-only.
    """
    parts, sources = [], {}
    no_text = Value(None, output_field=TextField())
    for number, (model, queryset) in enumerate(querysets.items()):
        gated = teasers and _has_members_only(model)
        columns, *sources[model] = _teaser_sources(model) if gated else ([], [], [])
        text_of_columns = no_text
        if columns:
            spaced = [part for column in columns for part in (Value(" "), column)][1:]
            joined = (
                Concat(*spaced, output_field=TextField())
                if len(spaced) > 1
                else Cast(columns[0], TextField())
            )
            text_of_columns = Case(When(members_only=True, then=joined), default=no_text)
        flag = F("members_only") if gated else Value(False)
        parts.append(
            queryset.filter(pk__in=HITS)
            .order_by()
            .annotate(
                model_number=Value(number, output_field=IntegerField()),
                members_only_flag=Cast(flag, BooleanField()),
                teaser=text_of_columns,
            )
            .values_list("pk", "model_number", "members_only_flag", "teaser")
        )
    found: dict[int, set[int]] = defaultdict(set)
    texts: dict[int, list[str]] = {}
    rows = _fetch(*_union(parts), hits=ranked) if ranked else ()
    for pk, number, members_only, teaser in rows:
        found[number].add(pk)
        if members_only:
            texts[pk] = [teaser] if teaser else []
    ids_by_model = {
        model: [pk for pk in ranked if pk in found[number]]
        for number, model in enumerate(querysets)
    }
    if texts:
        _add_teaser_texts(texts, ids_by_model, sources)
    return ids_by_model, {pk: " ".join(parts) for pk, parts in texts.items()}


def _add_teaser_texts(texts: dict[int, list[str]], ids_by_model: dict, sources: dict) -> None:
    """Add what the teasers show of related rows (one statement) and of fields that need the
    instances to ``texts`` (page id: parts, for the members-only hits)."""
    parts = []
    for model, (related, others) in sources.items():
        gated = [pk for pk in ids_by_model[model] if pk in texts]
        if not gated:
            continue
        for lookup in related:  # a row per related item (theme, ...)
            parts.append(
                model.objects.filter(pk__in=id_set(gated))
                .order_by()
                .annotate(teaser=Cast(lookup, TextField()))
                .values_list("pk", "teaser")
            )
        if others:  # methods, StreamFields
            for page in model.objects.filter(pk__in=id_set(gated)):
                texts[page.pk].append(_text_of(page, others))
    for pk, teaser in _fetch(*_union(parts)):
        if teaser:
            texts[pk].append(teaser)


class _Stems(dict):
    """Word -> its stem (``text.stem``), each distinct word stemmed once."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def __missing__(self, word: str) -> str:
        stem = self[word] = text.stem(word, self.language)
        return stem


def _teaser_scores(teasers: dict[int, str], query: str, language: str) -> dict[int, int]:
    """Of the teasers that match ``query`` (``text.matches_all_terms``): how many of their words
    match (``text.count_matches``).

    The same rules, with each distinct word stemmed once per search and no Python loop per word:
    the public's searches check a teaser for every members-only hit (thousands).
    """
    wanted = text.query_stems(query, language)
    if not wanted:
        return {}
    stem_of = _Stems(language)
    scores = {}
    for pk, teaser in teasers.items():
        stems = list(map(stem_of.__getitem__, text.WORD_RE.findall(teaser)))
        if wanted.issubset(stems):
            scores[pk] = sum(map(wanted.__contains__, stems))
    return scores


def _rank_for_teaser_reader(ranked, ids_by_model, teasers: dict[int, str], query, language):
    """The engine's ranking as a reader of teasers only may have it.

    ``teasers``: the teaser text of every members-only hit (from ``_split_by_model``); empty
    for readers of the full text. Members-only hits stay only if their teaser matches. The
    engine ranks them on the whole document, so their order among themselves would tell how
    much their hidden text is about the query: they are dealt back into the places the engine
    gave them ordered by their teaser alone (most matching words first, then the oldest page).
    ``ids_by_model`` is narrowed to the hits kept.
    """
    if not teasers:
        return ranked
    kept = _teaser_scores(teasers, query, language)
    ranked = [pk for pk in ranked if pk not in teasers or pk in kept]
    for model, ids in ids_by_model.items():
        ids_by_model[model] = [pk for pk in ids if pk not in teasers or pk in kept]
    places = [position for position, pk in enumerate(ranked) if pk in kept]
    by_teaser = sorted(kept, key=lambda pk: (-kept[pk], pk))
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


# --- Facet counts -------------------------------------------------------------------------------

# The number of pages of each kind travels with the facet counts under this key, and the pages
# themselves (when asked for) under the other.
_KIND_COUNT = ""
_PAGES = "#"


def _facet_counts(
    querysets: dict,
    specs,
    filters: dict,
    *,
    teaser_reader: bool,
    kinds: dict,
    facet_models,
    hits: list[int] | None,
    listed_models=(),
) -> dict[str, Counter]:
    """Every count a library search shows, from ONE statement: ``{key: Counter(value: pages)}``.

    ``counts[""][kind]``: the pages of each model in ``kinds`` (model: kind) with every filter
    applied. ``counts[spec.key][value]``: for the models in ``facet_models``, the pages per
    value of ``spec`` with every filter but its own; a ``teaser_reader`` counts only public
    items on a non-teaser field. ``counts["#"]``: the ids (as text) of the pages of the
    ``listed_models`` with every filter applied.

    Which pages and values count is decided by ORM querysets (``querysets`` -- what may be
    shown -- narrowed by ``_apply_filters``, values gated with ``_gated_for``): each gives one
    row per page with the values it counts under, as a CTE. Plain SQL only groups those rows,
    so each set of pages is read once, not once per facet.
    """
    quote = connection.ops.quote_name
    ctes, selects, params = [], [], []
    for model, queryset in querysets.items():
        row_sets: dict[str | None, list[FacetSpec]] = {}  # the filter left out: its facets
        if model in kinds or model in listed_models:
            row_sets[None] = []
        if model in facet_models:
            for spec in specs:
                if _lookup_for(model, spec):
                    row_sets.setdefault(spec.key if spec.key in filters else None, []).append(spec)
        for skip, served in row_sets.items():
            rows = _apply_filters(
                model, queryset, specs, filters, teaser_reader=teaser_reader, skip=skip
            )
            values, groupings = {}, []
            for spec in served:
                lookup = _lookup_for(model, spec)
                field_obj = model._meta.get_field(lookup)
                column = f"facet_{len(values)}"
                # A many-to-many value is joined below; the row holds the page to join on.
                value = F("pk") if field_obj.many_to_many else Cast(lookup, TextField())
                if _gated_for(model, lookup, teaser_reader):
                    value = Case(When(members_only=False, then=value), default=None)
                values[column] = value
                groupings.append((spec.key, column, field_obj))
            try:
                sql, rows_params = _compiled(
                    rows.order_by().annotate(**values).values_list("pk", *values)
                )
            except EmptyResultSet:  # a filter no value can pass
                continue
            name = f"library_rows_{len(ctes)}"
            ctes.append((f"{name}(pk{''.join(f', {c}' for c in values)}) AS ({sql})", rows_params))
            if skip is None and model in kinds:
                selects.append(f"SELECT %s, %s, COUNT(*) FROM {name}")
                params += [_KIND_COUNT, kinds[model]]
            if skip is None and model in listed_models:
                selects.append(f"SELECT %s, CAST(pk AS text), 1 FROM {name}")
                params.append(_PAGES)
            for key, column, field_obj in groupings:
                if field_obj.many_to_many:
                    through = field_obj.remote_field.through
                    target = f"link.{quote(field_obj.m2m_reverse_name())}"
                    # Pairs are unique in Django's own link tables: each page counts once.
                    pages = "*" if through._meta.auto_created else "DISTINCT row.pk"
                    selects.append(
                        f"SELECT %s, CAST({target} AS text), COUNT({pages}) FROM {name} AS row "
                        f"JOIN {quote(through._meta.db_table)} AS link "
                        f"ON link.{quote(field_obj.m2m_column_name())} = row.{column} "
                        f"GROUP BY {target}"
                    )
                else:
                    selects.append(
                        f"SELECT %s, {column}, COUNT(*) FROM {name} "
                        f"WHERE {column} IS NOT NULL GROUP BY {column}"
                    )
                params.append(key)
    counts: dict[str, Counter] = defaultdict(Counter)
    for key, value, n in _fetch(" UNION ALL ".join(selects), params, hits=hits, ctes=ctes):
        if value != "" or key == _KIND_COUNT:
            counts[key][value] += n
    return counts


def _value_labels(models, spec: FacetSpec, values) -> dict[str, str]:
    """Labels of facet values (related objects' names, choice labels), by value as text."""
    labels: dict[str, str] = {}
    for model in models:
        lookup = _lookup_for(model, spec)
        if lookup is None:
            continue
        field_obj = model._meta.get_field(lookup)
        if field_obj.is_relation:
            related = field_obj.related_model
            wanted = [v for v in values if v not in labels and v.lstrip("-").isdigit()]
            if wanted:
                objects = related.objects.in_bulk([int(v) for v in wanted])
                labels.update({str(pk): str(obj) for pk, obj in objects.items()})
        elif field_obj.choices:
            labels.update({str(key): str(label) for key, label in field_obj.flatchoices})
    return labels


def _facet(spec: FacetSpec, models, counts: Counter, selected: list[str]) -> Facet | None:
    """The facet ``spec`` from its counts; None if no searched model has its field."""
    if not any(_lookup_for(model, spec) for model in models):
        return None
    labels = _value_labels(models, spec, list(counts))
    values = [
        FacetValue(
            value=value,
            label=labels.get(value, value),
            count=n,
            selected=value in selected,
        )
        for value, n in counts.items()
    ]
    # Selected values stay visible even when the other filters leave them no hits.
    for value in selected:
        if value not in counts:
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


# --- Ordering and pagination --------------------------------------------------------------------


class _PublishedYear(ExtractYear):
    """The year of ``first_published_at`` in UTC."""

    def __init__(self):
        super().__init__("first_published_at", tzinfo=UTC)

    def as_sqlite(self, compiler, connection):
        # Stored as UTC text ("2026-11-24 15:31:00"): its first four characters, rather than
        # Django's Python function called for every row.
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


def _newest_first(querysets: dict, hits: list[int] | None, offset: int, limit: int) -> list[int]:
    """Publication year where the model has one, else the year first published; then the
    date first published; then the newest page."""
    parts = []
    for model, queryset in querysets.items():
        published_year = Coalesce(_PublishedYear(), Value(0))
        year = (
            Coalesce(NullIf("year", Value(0)), published_year, output_field=IntegerField())
            if _field_exists(model, "year")
            else published_year
        )
        parts.append(
            queryset.order_by()
            .annotate(
                sort_year=Cast(year, IntegerField()),
                sort_published=Coalesce(
                    "first_published_at", Value(_EPOCH, output_field=DateTimeField())
                ),
            )
            .values_list("pk", "sort_year", "sort_published")
        )
    sql, params = _union(parts)
    if not sql:
        return []
    sql = f"SELECT * FROM ({sql}) AS dated ORDER BY 2 DESC, 3 DESC, 1 DESC LIMIT %s OFFSET %s"
    return [pk for pk, *_keys in _fetch(sql, [*params, limit, offset], hits=hits)]


class _PagedIds:
    """``count`` ids whose slices are fetched from the database as ``Paginator`` asks."""

    def __init__(self, count: int, fetch: Callable[[int, int], list[int]]):
        self._count = count
        self._fetch = fetch

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[int]:
        start, stop, _step = index.indices(self._count)
        return self._fetch(start, stop - start) if stop > start else []


# --- Library search -----------------------------------------------------------------------------


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
    if not full_allowed:
        # Teaser snippets include related names (themes): one query per model, not per hit.
        teaser_pages = defaultdict(list)
        for page in by_id.values():
            if _has_members_only(type(page)) and page.members_only:
                teaser_pages[type(page)].append(page)
        for model, pages_of_model in teaser_pages.items():
            related = [f.field_name for f in teaser_fields(model) if isinstance(f, RelatedFields)]
            prefetch_related_objects(pages_of_model, *related)
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
    hits: list[int] | None = None  # with a query: the ids that may be shown, best first
    if query and models:
        base = visible_pages(Page.objects.live().filter(locale=locale).type(*models.values()), user)
        ranked = ranked_ids(base, query)
        ids_by_model, teasers = _split_by_model(ranked, visible, teasers=teaser_reader)
        ranked = _rank_for_teaser_reader(ranked, ids_by_model, teasers, query, language)
        shown = {pk for ids in ids_by_model.values() for pk in ids}
        hits = [pk for pk in ranked if pk in shown]
        # The ids were checked against ``visible`` in _split_by_model: counting on them alone
        # spares every facet query the join with the page tree and its restrictions.
        matched = {model: model.objects.filter(pk__in=HITS) for model in visible}
    else:
        matched = dict(visible)

    model_kinds = {model: k for k, model in models.items()}
    selected_kinds = [k for k in filters.get(KIND_FACET.key, []) if k in models]
    filtered = {
        model: _apply_filters(model, qs, specs, filters, teaser_reader=teaser_reader)
        for model, qs in matched.items()
    }
    in_kinds = {
        model: qs
        for model, qs in filtered.items()
        if not selected_kinds or model_kinds[model] in selected_kinds
    }
    facet_filtered = any(spec.key in filters for spec in specs)
    by_relevance = hits is not None and sort == "relevance"
    counts = _facet_counts(
        matched,
        specs,
        filters,
        teaser_reader=teaser_reader,
        kinds=model_kinds,
        facet_models=in_kinds,
        hits=hits,
        # Ranked hits narrowed by a facet: which are left comes with the counts.
        listed_models=in_kinds if by_relevance and facet_filtered else (),
    )

    facets: list[Facet] = []
    if not kind and len(models) > 1:
        labels = _kind_labels(models)
        facets.append(
            Facet(
                key=KIND_FACET.key,
                label=str(KIND_FACET.label),
                values=[
                    FacetValue(k, labels[k], counts[_KIND_COUNT][k], k in selected_kinds)
                    for model, k in model_kinds.items()
                ],
            )
        )
    for spec in specs:
        facet = _facet(spec, list(in_kinds), counts[spec.key], filters.get(spec.key, []))
        if facet is not None and facet.values:
            facets.append(facet)

    if by_relevance:
        if facet_filtered:
            chosen = {int(pk) for pk in counts[_PAGES]}
        else:  # every hit of the chosen kinds
            chosen = {pk for model in in_kinds for pk in ids_by_model[model]}
        ordered = [pk for pk in hits if pk in chosen]
    else:
        total = sum(counts[_KIND_COUNT][model_kinds[model]] for model in in_kinds)
        ordered = _PagedIds(
            total, lambda offset, limit: _newest_first(in_kinds, hits, offset, limit)
        )
    paginator = Paginator(ordered, page_size)
    page_obj = paginator.get_page(page)
    page_obj.object_list = _load_hits(list(page_obj.object_list), query, user, language)

    suggestions = Suggestions()
    if not paginator.count:
        suggestions = _suggestions(
            query,
            user,
            locale,
            filters,
            matched=matched,
            visible=visible,
            hits=hits,
            kinds=model_kinds,
        )
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


def _suggestions(query, user, locale, filters, *, matched, visible, hits, kinds) -> Suggestions:
    """For a search without results: how many hits without the filters (``matched``), similar
    titles, the visible pages' most common themes."""
    suggestions = Suggestions()
    teaser_reader = not reads_full_content(user)
    if filters:
        counts = _facet_counts(
            matched, (), {}, teaser_reader=teaser_reader, kinds=kinds, facet_models=(), hits=hits
        )
        suggestions.without_filters_count = sum(counts[_KIND_COUNT].values())
    if query:
        suggestions.similar_titles = [
            item["title"] for item in autocomplete(user, _shorter(query), locale=locale)
        ][:5]
    theme = SHARED_FACETS[0]
    counts = _facet_counts(
        visible, [theme], {}, teaser_reader=teaser_reader, kinds={}, facet_models=visible, hits=None
    )
    theme_facet = _facet(theme, list(visible), counts[theme.key], [])
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
        ids = database.sqlite_ranked_ids(results, limit=limit * 2)
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
        teaser_reader = not reads_full_content(user)
        ids_by_model, teasers = _split_by_model(ranked, library, teasers=teaser_reader)
        ids = _rank_for_teaser_reader(ranked, ids_by_model, teasers, query, language)
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
