"""Ranked ids from modelsearch's database backends (PostgreSQL FTS, SQLite FTS5).

The library and site search want only the ranked primary keys of the visible pages that match
(``search.services.ranked_ids``); both database backends get there much faster by querying
their index table directly than through modelsearch's queryset:

* PostgreSQL: modelsearch joins every page to its index entry and lets the planner choose how
  to find ``(title || body) @@ query``; for a common word it scans and concatenates every
  entry. ``site_search_matches`` (migration 0003) always goes through our GIN index and ranks
  the matches the way modelsearch does; the visible pages are applied as a set of ids.
* SQLite: modelsearch orders by a correlated subquery that re-runs the MATCH per row.
"""

from __future__ import annotations

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_descendants_content_types_pks


def ranked_ids(results, limit: int) -> list[int] | None:
    """Ids of ``results`` (a database backend's search results), best first, at most
    ``limit``; None if these results are of a kind this module does not rank."""
    name = type(results).__name__
    if name == "PostgresSearchResults":
        return _postgres_ranked_ids(results, limit)
    if name == "SQLiteSearchResults":
        return sqlite_ranked_ids(results, limit)
    return None


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


def sqlite_ranked_ids(results, limit: int) -> list[int]:
    """Rank with one pass over the FTS5 table.

    modelsearch's SQLite backend orders by relevance through a correlated subquery that
    re-runs the MATCH for every candidate row: quadratic, a minute for a query that matches
    thousands of pages. Here the FTS table is queried once (bm25, lower is better) and the
    visible queryset is applied as a set.
    """
    from modelsearch.backends.database.sqlite.query import BM25, MatchExpression, normalize
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
