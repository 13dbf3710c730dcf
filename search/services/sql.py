"""SQL shared by the library search's statements: large id lists sent as ONE parameter,
``UNION ALL`` of ORM querysets, and statements that read the ids of a search as a CTE."""

from __future__ import annotations

import json
from typing import NamedTuple

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


# Stands for the id list in a statement compiled by ``prepared``: bound at each execution.
IDS = "\x00search-ids\x00"
MAX_PREPARED = 512


class Statement(NamedTuple):
    sql: str
    params: tuple
    converters: dict  # position: (functions, expression), as the ORM's compiler has them

    def bind(self, ids=(), values: dict | None = None) -> list:
        """The parameters with ``ids`` (one parameter, see ``id_literal``) for ``IDS`` and
        ``values`` for other stand-ins (stand-in: value)."""
        values = {**(values or {}), IDS: id_literal(ids) if IDS in self.params else None}
        return [
            values.get(param, param) if isinstance(param, str) else param for param in self.params
        ]


_prepared: dict[tuple, Statement] = {}


def prepared(key: tuple | None, build) -> Statement:
    """The statement ``build()`` makes (a queryset, or the SQL and parameters of
    ``union_all``), compiled once per process and database vendor.

    For statements whose shape ``key`` fixes (models, flags, and any value that ends up as a
    parameter, such as a locale or the paths a reader may not see): building and compiling
    ORM querysets costs far more than running them. Ids go in as ``ids_to_bind()`` and are
    bound at each execution (``Statement.bind``, ``run``); nothing is interpolated into SQL.
    Without a ``key`` the statement is compiled for this execution only.
    """
    key = key and (connection.vendor, *key)
    found = _prepared.get(key) if key else None
    if found is None:
        built = build()
        if isinstance(built, tuple):
            sql, params, converters = *built, {}
        else:
            compiler = built.query.get_compiler(using=built.db)
            sql, params = compiler.as_sql()
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
        found = Statement(sql, tuple(params), converters)
        if key:
            if len(_prepared) >= MAX_PREPARED:
                _prepared.clear()
            _prepared[key] = found
    return found


def ids_to_bind() -> RawSQL:
    """``pk__in`` right-hand side in a ``prepared`` statement: the ids bound at execution."""
    return RawSQL(ids_sql(), (IDS,))


def run(statement: Statement, ids=(), values: dict | None = None) -> list[tuple]:
    """Rows of a ``prepared`` queryset with ``ids`` (and ``values``) bound, converted as the
    ORM would."""
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.bind(ids, values))
        rows = cursor.fetchall()
    if not statement.converters:
        return rows
    converted = []
    for row in rows:
        row = list(row)
        for position, (functions, expression) in statement.converters.items():
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        converted.append(tuple(row))
    return converted
