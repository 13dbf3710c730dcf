"""SQLite FTS5: Snowball Danish keys in the index, ranked ids in one pass.

modelsearch's SQLite backend orders by relevance through a correlated subquery that re-runs
the MATCH for every candidate row: quadratic, a minute for a query that matches thousands of
pages. ``_ranked_ids`` queries the FTS table once.
"""

from __future__ import annotations

from django.db import connections
from django.db.models.sql import Query
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import (
    BM25,
    Lexeme,
    MatchExpression,
    SearchQueryExpression,
    normalize,
)
from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists
from modelsearch.index import AutocompleteField, RelatedFields
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks

from ... import text, vocabulary
from ...services.sql import prepared, run
from ..engine import MAX_RANKED_IDS, SearchEngine


def fts_available() -> bool:
    return fts5_available() and fts_table_exists()


class SQLiteDanishIndexer(sqlite.ObjectIndexer):
    def __init__(self, obj, backend):
        super().__init__(obj, backend)
        self.words: set[str] = set()  # for the vocabulary

    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):  # its fields come back through this method
            yield from super().prepare_field(obj, field)
            return
        for current_field, value in super().prepare_field(obj, field):
            if isinstance(current_field, AutocompleteField):
                yield current_field, text.autocomplete_text(value)
            else:
                self.words |= vocabulary.words_of(value)
                yield current_field, text.index_text(value)


class SQLiteDanishIndex(sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        indexers = [SQLiteDanishIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        data = {
            indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers
        }
        entries = self.entries.filter(content_type_id=content_type_pk)
        indexed = frozenset(
            entries.filter(object_id__in=data.keys()).values_list("object_id", flat=True)
        )
        for object_id in indexed:
            title, autocomplete, body = data[object_id]
            entries.filter(object_id=object_id).update(
                title=title, autocomplete=autocomplete, body=body
            )
        self.entries.bulk_create(
            [
                sqlite.IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                )
                for object_id, (title, autocomplete, body) in data.items()
                if object_id not in indexed
            ]
        )
        self._refresh_title_norms()
        vocabulary.record(set().union(*(indexer.words for indexer in indexers)))


class SQLiteDanishQueryCompiler(sqlite.SQLiteSearchQueryCompiler):
    """Searches the keys of the query's terms (only word characters reach FTS5, so quotes
    and operators typed by people cannot make its query syntax fail)."""

    def analyse(self, query_string: str) -> str:
        return text.index_query(query_string)

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            analysed = self.analyse(query.query_string)
            if not analysed:  # only stop words or punctuation: an empty phrase matches nothing
                return SearchQueryExpression(Lexeme(""), config=config)
            query = PlainText(analysed, operator=query.operator)
        return super().build_search_query_content(query, config=config)


class SQLiteDanishAutocompleteCompiler(
    SQLiteDanishQueryCompiler, sqlite.SQLiteAutocompleteQueryCompiler
):
    def analyse(self, query_string: str) -> str:
        return text.autocomplete_text(query_string)


class NetworkSQLiteSearchBackend(SearchEngine, sqlite.SQLiteSearchBackend):
    index_class = SQLiteDanishIndex
    query_compiler_class = SQLiteDanishQueryCompiler
    autocomplete_query_compiler_class = SQLiteDanishAutocompleteCompiler

    def ranked_ids(
        self, queryset, query, *, operator="and", limit=MAX_RANKED_IDS, shape=None
    ) -> list[int]:
        return _ranked_ids(self.search(query, queryset, operator=operator), limit, shape)

    def autocomplete_ids(self, queryset, query, *, limit: int) -> list[int]:
        return _ranked_ids(self.autocomplete(query, queryset), limit)


# Stands for the MATCH query in statements compiled once (``sql.prepared``).
MATCH = "\x00search-match\x00"


class _MatchToBind(MatchExpression):
    """A MATCH whose query is bound at each execution."""

    def as_sql(self, compiler, connection):
        return self.template, [MATCH]


def _ranked_ids(results, limit: int, shape: tuple | None = None) -> list[int]:
    """Rank with one pass over the FTS5 table.

    modelsearch's SQLite backend orders by relevance through a correlated subquery that
    re-runs the MATCH for every candidate row: quadratic, a minute for a query that matches
    thousands of pages. Here the FTS table is queried once (bm25, lower is better) and the
    visible queryset is applied as a set.

    Both statements are compiled once per process (``sql.prepared``) with the MATCH query
    bound at each search: the ranking's for each model and fields, the visible ids' for each
    ``shape`` (all that the queryset's SQL depends on, as the caller names it).
    """
    compiler = results.query_compiler
    columns = tuple(compiler.fields or compiler.FTS_TABLE_FIELDS)
    match = MatchExpression(
        columns,
        compiler.build_search_query(
            normalize(compiler.query), config=compiler.get_config(results.backend)
        ),
    )
    queryset = compiler.queryset
    connection = connections[queryset.db]
    [match_query] = match.as_sql(Query(None).get_compiler(connection=connection), connection)[1]
    content_types = tuple(get_descendants_content_types_pks(queryset.model))
    key = (queryset.model, columns, content_types)

    def entries():
        return sqlite.SQLiteFTSIndexEntry.objects.filter(_MatchToBind(columns, None)).filter(
            index_entry__content_type__in=content_types
        )

    ranked = prepared(
        ("fts-ranked", *key),
        lambda: (
            entries()
            .annotate(score=BM25())
            .order_by("score", "-index_entry__object_id")
            .values_list("index_entry__object_id")
        ),
    )
    visible = prepared(
        shape and ("fts-visible", *key, *shape),
        lambda: (
            queryset.filter(pk__in=entries().values("index_entry__object_id"))
            .order_by()
            .values_list("pk")
        ),
    )
    bound = {MATCH: match_query}
    allowed = {pk for (pk,) in run(visible, values=bound)}
    ids = []
    for (object_id,) in run(ranked, values=bound):
        pk = int(object_id)
        if pk in allowed:
            ids.append(pk)
            if len(ids) >= limit:
                break
    return ids
