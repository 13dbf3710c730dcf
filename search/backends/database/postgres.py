"""PostgreSQL FTS: ranked ids through our GIN index, folded spellings in the index.

modelsearch joins every page to its index entry and lets the planner choose how to find
``(title || body) @@ query``; for a common word it scans and concatenates every entry.
``site_search_matches`` (migration 0003) always goes through our GIN index and ranks the
matches the way modelsearch does; the visible pages are applied as a set of ids.
"""

from __future__ import annotations

import re

from django.db import connections
from django.db.models import CharField
from django.db.models.functions import Cast
from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.index import AutocompleteField, RelatedFields
from modelsearch.query import Phrase, PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from ... import text, vocabulary
from ..engine import MAX_RANKED_IDS, SearchEngine

_DANISH_WORD = re.compile(r"\w*[æøåÆØÅ]\w*")


def with_folded_spellings(value: str) -> str:
    """``value`` followed by the ae/oe/aa spelling of each of its words with æ, ø or å."""
    folded = [text.fold_danish(word) for word in _DANISH_WORD.findall(value or "")]
    return f"{value} {' '.join(folded)}" if folded else value


class PostgresFoldingIndexer(pg.ObjectIndexer):
    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.words: set[str] = set()  # for the vocabulary

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)
            return
        for current_field, weight, value in super().prepare_field(obj, field):
            if not isinstance(current_field, AutocompleteField):
                self.words |= vocabulary.words_of(value)
            yield current_field, weight, with_folded_spellings(value)


class PostgresFoldingIndex(pg.PostgresIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        indexers = [PostgresFoldingIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = InsertQuery(pg.IndexEntry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(
                    pg.IndexEntry._meta.get_field(name), getattr(indexer, name)
                )
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows.append(f"(%s, %s, {vectors[0]}, {vectors[1]}, {vectors[2]}, 1.0, %s, %s)")
        table = pg.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, "
                f"title_norm, title_text, body_text) (VALUES {', '.join(rows)}) "
                "ON CONFLICT (content_type_id, object_id) DO UPDATE SET "
                "title = EXCLUDED.title, title_norm = 1.0, autocomplete = EXCLUDED.autocomplete, "
                "body = EXCLUDED.body, title_text = EXCLUDED.title_text, "
                "body_text = EXCLUDED.body_text",
                params,
            )
        self._refresh_title_norms()
        vocabulary.record(set().union(*(indexer.words for indexer in indexers)))


class NetworkPostgresSearchBackend(SearchEngine, pg.PostgresSearchBackend):
    index_class = PostgresFoldingIndex

    def ranked_ids(
        self, queryset, query, *, operator="and", limit=MAX_RANKED_IDS, shape=None
    ) -> list[int]:
        results = self.search(query, queryset, operator=operator)
        ids = _postgres_ranked_ids(results, limit)
        if ids is None:  # a query _postgres_ranked_ids leaves to modelsearch
            return list(results.get_queryset().values_list("pk", flat=True)[:limit])
        return ids


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
