"""Danish on the database backends: what our index stores and how queries meet it.

* SQLite FTS5 has no stemming. We index the *keys* of every word (``text.index_text``:
  Snowball Danish stem, stop words left out, æ/ø/å folded to ae/oe/aa) and search with the
  keys of the query's terms, so "frivillig" finds "frivillige" like PostgreSQL's Danish
  configuration does, and "vaage" finds "våge". Autocomplete entries are folded words
  (``text.autocomplete_text``), searched with folded prefixes.
* PostgreSQL stems with its ``danish`` configuration; we add the folded spelling of every
  word with æ, ø or å next to the word itself, so "aeldre" finds "ældre" in searches and
  "aeld" in autocomplete.

Both indexes need ``manage.py update_index`` once after this changes (entries written before
hold the old text). The ``add_items`` below are modelsearch's own with our indexer: theirs name
the indexer class directly.
"""

from __future__ import annotations

import re

from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression
from modelsearch.index import AutocompleteField, RelatedFields
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk

from .. import text

_DANISH_WORD = re.compile(r"\w*[æøåÆØÅ]\w*")


def with_folded_spellings(value: str) -> str:
    """``value`` followed by the ae/oe/aa spelling of each of its words with æ, ø or å."""
    folded = [text.fold_danish(word) for word in _DANISH_WORD.findall(value or "")]
    return f"{value} {' '.join(folded)}" if folded else value


# --- SQLite -------------------------------------------------------------------------------------


class SQLiteDanishIndexer(sqlite.ObjectIndexer):
    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):  # its fields come back through this method
            yield from super().prepare_field(obj, field)
            return
        for current_field, value in super().prepare_field(obj, field):
            if isinstance(current_field, AutocompleteField):
                yield current_field, text.autocomplete_text(value)
            else:
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


# --- PostgreSQL ---------------------------------------------------------------------------------


class PostgresFoldingIndexer(pg.ObjectIndexer):
    def prepare_field(self, obj, field):
        if isinstance(field, RelatedFields):
            yield from super().prepare_field(obj, field)
            return
        for current_field, weight, value in super().prepare_field(obj, field):
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
