"""Our database backend (``BACKEND: "search.backends.database"``): modelsearch's PostgreSQL
FTS and SQLite FTS5 backends as ``SearchEngine``s, picked by the database vendor like
modelsearch's own ``database`` backend.

The library and site search want only the ranked primary keys of the visible pages that match;
both database backends get there much faster by querying their index table directly than
through modelsearch's queryset:

* PostgreSQL: modelsearch joins every page to its index entry and lets the planner choose how
  to find ``(title || body) @@ query``; for a common word it scans and concatenates every
  entry. ``site_search_matches`` (migration 0003) always goes through our GIN index and ranks
  the matches the way modelsearch does; the visible pages are applied as a set of ids.
* SQLite: modelsearch orders by a correlated subquery that re-runs the MATCH per row.

Both index Danish the way ``search.backends.danish`` describes.
"""

from __future__ import annotations

from django.db import connection, connections
from django.db.models import CharField
from django.db.models.functions import Cast
from modelsearch.backends.database.fallback import DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend
from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend
from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import SQLiteFTSIndexEntry

from .danish import (
    PostgresFoldingIndex,
    SQLiteDanishAutocompleteCompiler,
    SQLiteDanishIndex,
    SQLiteDanishQueryCompiler,
)
from .engine import MAX_RANKED_IDS, SearchEngine


class NetworkPostgresSearchBackend(SearchEngine, PostgresSearchBackend):
    index_class = PostgresFoldingIndex

    def ranked_ids(self, queryset, query, *, operator="and", limit=MAX_RANKED_IDS) -> list[int]:
        results = self.search(query, queryset, operator=operator)
        ids = _postgres_ranked_ids(results, limit)
        if ids is None:  # a query _postgres_ranked_ids leaves to modelsearch
            return list(results.get_queryset().values_list("pk", flat=True)[:limit])
        return ids


class NetworkSQLiteSearchBackend(SearchEngine, SQLiteSearchBackend):
    index_class = SQLiteDanishIndex
    query_compiler_class = SQLiteDanishQueryCompiler
    autocomplete_query_compiler_class = SQLiteDanishAutocompleteCompiler

    def ranked_ids(self, queryset, query, *, operator="and", limit=MAX_RANKED_IDS) -> list[int]:
        return _sqlite_ranked_ids(self.search(query, queryset, operator=operator), limit)

    def autocomplete_ids(self, queryset, query, *, limit: int) -> list[int]:
        return _sqlite_ranked_ids(self.autocomplete(query, queryset), limit)


class NetworkDatabaseSearchBackend(SearchEngine, DatabaseSearchBackend):
    """Any other database (or SQLite without FTS5): modelsearch's unindexed search."""


_sqlite_fts: bool | None = None


def SearchBackend(params):  # noqa: N802 -- the name modelsearch looks up in a backend module
    """The backend for the default database's vendor."""
    global _sqlite_fts
    if connection.vendor == "postgresql":
        return NetworkPostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        if _sqlite_fts is None:
            _sqlite_fts = fts5_available() and fts_table_exists()
        if _sqlite_fts:
            return NetworkSQLiteSearchBackend(params)
    return NetworkDatabaseSearchBackend(params)


def _postgres_ranked_ids(results, limit: int) -> list[int] | None:
    compiler = results.query_compiler
    if compiler.fields is not None or not isinstance(compiler.query, (PlainText, Phrase)):
        return None  # searches on given fields, fuzzy, boolean trees: modelsearch's own query
    tsquery = compiler.build_tsquery(compiler.query, config=compiler.get_config(results.backend))
    if tsquery is None:  # nothing left to search for (only separators)
        return []
    queryset = compiler.queryset
    visible = (
        queryset.order_by()
        .annotate(object_id_text=Cast("pk", CharField(max_length=50)))
        .values("object_id_text")
    )
    connection = connections[queryset.db]
    sql_compiler = visible.query.get_compiler(connection=connection)
    tsquery_sql, tsquery_params = sql_compiler.compile(tsquery.resolve_expression(visible.query))
    visible_sql, visible_params = sql_compiler.as_sql()
    sql = (
        "SELECT match.object_id::integer "
        f"FROM site_search_matches({tsquery_sql}, %s::real[]) AS match "
        f"WHERE match.content_type_id = ANY(%s) AND match.object_id IN ({visible_sql}) "
        "ORDER BY match.rank DESC, match.object_id::integer DESC "
        "LIMIT %s"
    )
    params = [
        *tsquery_params,
        compiler.sql_weights,
        get_descendants_content_types_pks(queryset.model),
        *visible_params,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _sqlite_ranked_ids(results, limit: int) -> list[int]:
    """Rank with one pass over the FTS5 table.

    modelsearch's SQLite backend orders by relevance through a correlated subquery that
    re-runs the MATCH for every candidate row: quadratic, a minute for a query that matches
    thousands of pages. Here the FTS table is queried once (bm25, lower is better) and the
    visible queryset is applied as a set.
    """
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
