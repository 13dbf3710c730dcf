"""Our database backend (``BACKEND: "search.backends.database"``): modelsearch's PostgreSQL
FTS and SQLite FTS5 backends as ``SearchEngine``s, picked by the database vendor like
modelsearch's own ``database`` backend (each vendor's module is imported only on that vendor:
modelsearch's SQLite module needs models that exist only on SQLite).

The library and site search want only the ranked primary keys of the visible pages that match;
both database backends get there much faster by querying their index table directly than
through modelsearch's queryset (see ``postgres`` and ``sqlite``).

Danish, on both:

* SQLite FTS5 has no stemming. We index the *keys* of every word (``text.index_text``:
  Snowball Danish stem, stop words left out, æ/ø/å folded to ae/oe/aa) and search with the
  keys of the query's terms, so "frivillig" finds "frivillige" like PostgreSQL's Danish
  configuration does, and "vaage" finds "våge". Autocomplete entries are folded words
  (``text.autocomplete_text``), searched with folded prefixes.
* PostgreSQL stems with its ``danish`` configuration; we add the folded spelling of every
  word with æ, ø or å next to the word itself, so "aeldre" finds "ældre" in searches and
  "aeld" in autocomplete.

Both indexes need ``manage.py update_index`` once after this changes (entries written before
hold the old text). The ``add_items`` of our index classes are modelsearch's own with our
indexer: theirs name the indexer class directly.
"""

from __future__ import annotations

from importlib import import_module

from django.db import connection
from modelsearch.backends.database.fallback import DatabaseSearchBackend

from ..engine import SearchEngine


class NetworkDatabaseSearchBackend(SearchEngine, DatabaseSearchBackend):
    """Any other database (or SQLite without FTS5): modelsearch's unindexed search."""


_sqlite_fts: bool | None = None


def SearchBackend(params):  # noqa: N802 -- the name modelsearch looks up in a backend module
    """The backend for the default database's vendor."""
    global _sqlite_fts
    if connection.vendor == "postgresql":
        return import_module(f"{__name__}.postgres").NetworkPostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        sqlite = import_module(f"{__name__}.sqlite")
        if _sqlite_fts is None:
            _sqlite_fts = sqlite.fts_available()
        if _sqlite_fts:
            return sqlite.NetworkSQLiteSearchBackend(params)
    return NetworkDatabaseSearchBackend(params)
