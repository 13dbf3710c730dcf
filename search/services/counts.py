"""Every count a library search shows, from one statement."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    F,
    TextField,
    When,
)
from django.db.models.functions import Cast

from .facets import FacetSpec, apply_filters, gated_for, lookup_for
from .sql import compiled, fetch

# The number of pages of each kind travels with the facet counts under this key, and the pages
# themselves (when asked for) under the other.
KIND_COUNT = ""
PAGES = "#"


def facet_counts(
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
    shown -- narrowed by ``apply_filters``, values gated with ``gated_for``): each gives one
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
                if lookup_for(model, spec):
                    row_sets.setdefault(spec.key if spec.key in filters else None, []).append(spec)
        for skip, served in row_sets.items():
            rows = apply_filters(
                model, queryset, specs, filters, teaser_reader=teaser_reader, skip=skip
            )
            values, groupings = {}, []
            for spec in served:
                lookup = lookup_for(model, spec)
                field_obj = model._meta.get_field(lookup)
                column = f"facet_{len(values)}"
                # A many-to-many value is joined below; the row holds the page to join on.
                value = F("pk") if field_obj.many_to_many else Cast(lookup, TextField())
                if gated_for(model, lookup, teaser_reader):
                    value = Case(When(members_only=False, then=value), default=None)
                values[column] = value
                groupings.append((spec.key, column, field_obj))
            try:
                sql, rows_params = compiled(
                    rows.order_by().annotate(**values).values_list("pk", *values)
                )
            except EmptyResultSet:  # a filter no value can pass
                continue
            name = f"library_rows_{len(ctes)}"
            ctes.append((f"{name}(pk{''.join(f', {c}' for c in values)}) AS ({sql})", rows_params))
            if skip is None and model in kinds:
                selects.append(f"SELECT %s, %s, COUNT(*) FROM {name}")
                params += [KIND_COUNT, kinds[model]]
            if skip is None and model in listed_models:
                selects.append(f"SELECT %s, CAST(pk AS text), 1 FROM {name}")
                params.append(PAGES)
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
    for key, value, n in fetch(" UNION ALL ".join(selects), params, hits=hits, ctes=ctes):
        if value != "" or key == KIND_COUNT:
            counts[key][value] += n
    return counts
