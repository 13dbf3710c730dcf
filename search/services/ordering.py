"""Newest-first order for library listings, fetched page by page from the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.db.models import (
    DateTimeField,
    IntegerField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf

from .facets import field_exists
from .sql import fetch, union_all

# Pages never published sort as if published at the epoch (after every real date, newest first).
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class _PublishedYear(ExtractYear):
    """The year of ``first_published_at`` in UTC."""

    def __init__(self):
        super().__init__("first_published_at", tzinfo=UTC)

    def as_sqlite(self, compiler, connection):
        # Stored as UTC text ("2026-11-24 15:31:00"): its first four characters, rather than
        # Django's Python function called for every row.
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS integer)", params


def newest_first(querysets: dict, hits: list[int] | None, offset: int, limit: int) -> list[int]:
    """Publication year where the model has one, else the year first published; then the
    date first published; then the newest page."""
    parts = []
    for model, queryset in querysets.items():
        published_year = Coalesce(_PublishedYear(), Value(0))
        year = (
            Coalesce(NullIf("year", Value(0)), published_year, output_field=IntegerField())
            if field_exists(model, "year")
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
    sql, params = union_all(parts)
    if not sql:
        return []
    sql = f"SELECT * FROM ({sql}) AS dated ORDER BY 2 DESC, 3 DESC, 1 DESC LIMIT %s OFFSET %s"
    return [pk for pk, *_keys in fetch(sql, [*params, limit, offset], hits=hits)]


class PagedIds:
    """``count`` ids whose slices are fetched from the database as ``Paginator`` asks."""

    def __init__(self, count: int, fetch: Callable[[int, int], list[int]]):
        self._count = count
        self.fetch = fetch

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[int]:
        start, stop, _step = index.indices(self._count)
        return self.fetch(start, stop - start) if stop > start else []
