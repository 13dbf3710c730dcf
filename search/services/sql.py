"""SQL shared by the library search's statements: large id lists sent as ONE parameter,
``UNION ALL`` of ORM querysets, and statements that read the ids of a search as a CTE."""

from __future__ import annotations

import json

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models.expressions import RawSQL


def id_set(ids) -> RawSQL:
    """``pk__in`` right-hand side for a large id list, sent as ONE parameter."""
    return RawSQL(ids_sql(), (id_literal(ids),))


def id_literal(ids) -> str:
    """The ids as ONE parameter: a PostgreSQL array literal or a JSON list.

    As a plain list Django would bind every id separately; this way the database parses them,
    far faster than the driver adapts them one by one.
    """
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return "{" + ",".join(map(str, ids)) + "}"
    return json.dumps(ids)


def ids_sql() -> str:
    """SQL yielding the ids of ``id_literal`` as rows."""
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])"
    if connection.vendor == "sqlite":
        return "SELECT value FROM json_each(%s)"
    raise NotImplementedError(f"Search needs PostgreSQL or SQLite, not {connection.vendor}")


# The ids of a search in the statements of ``fetch``: ``pk__in=HITS``.
HITS_TABLE = "library_hits"
HITS = RawSQL(f"SELECT id FROM {HITS_TABLE}", ())


def compiled(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def union_all(querysets) -> tuple[str, list]:
    """``UNION ALL`` of querysets with alike columns; those that can match nothing are left out
    (Django will not compile ``pk__in=[]``)."""
    parts, params = [], []
    for queryset in querysets:
        try:
            sql, queryset_params = compiled(queryset)
        except EmptyResultSet:
            continue
        parts.append(f"SELECT * FROM ({sql}) AS part_{len(parts)}")
        params.extend(queryset_params)
    return " UNION ALL ".join(parts), params


def fetch(sql: str, params, *, hits: list[int] | None = None, ctes=()) -> list[tuple]:
    """Rows of one statement that may read ``ctes`` (``(definition, params)`` pairs) and, with
    ``hits``, ``library_hits(id)``: the ids sent once, however many parts read them."""
    if not sql:
        return []
    definitions, all_params = [], []
    if hits is not None:
        definitions.append(f"{HITS_TABLE}(id) AS ({ids_sql()})")
        all_params.append(id_literal(hits))
    for definition, cte_params in ctes:
        definitions.append(definition)
        all_params.extend(cte_params)
    if definitions:
        sql = f"WITH {', '.join(definitions)} {sql}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*all_params, *params])
        return cursor.fetchall()
