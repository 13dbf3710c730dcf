"""Which models the library searches, its facets, and the filters they apply."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    IntegerField,
)
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from core import site_state
from core.forms import parse_ids

from .results import Facet, FacetValue


@dataclass(frozen=True)
class FacetSpec:
    """A facet: ``key`` is the GET parameter, ``lookup`` the field it counts (on every
    searched model that has it)."""

    key: str
    label: Any
    lookup: str
    order: str = "count"  # or "value_desc" (years)


KIND_FACET = FacetSpec("type", _("Indhold"), "")
RESOURCE_FACETS = (
    FacetSpec("format", _("Type"), "resource_type"),
    FacetSpec("tema", _("Tema"), "themes"),
    FacetSpec("aar", _("År"), "year", order="value_desc"),
    FacetSpec("sprog", _("Sprog"), "language"),
)
CASE_FACETS = (
    FacetSpec("fase", _("Fase"), "stage"),
    FacetSpec("omfang", _("National/international"), "scope"),
    FacetSpec("land", _("Land"), "country"),
    FacetSpec("kommune", _("Kommune"), "municipality"),
    FacetSpec("aktoerer", _("Aktører"), "actors"),
    FacetSpec("tema", _("Tema"), "themes"),
)
SHARED_FACETS = (FacetSpec("tema", _("Tema"), "themes"),)
FACET_KEYS = frozenset({spec.key for spec in RESOURCE_FACETS + CASE_FACETS} | {KIND_FACET.key})


def library_models() -> dict[str, type[Page]]:
    """The page models of the library, by kind (only those the project has)."""
    found = {}
    for kind, label in (("cases", "cases.CasePage"), ("resources", "resources.ResourcePage")):
        try:
            found[kind] = apps.get_model(label)
        except LookupError:
            continue
    return found


def field_exists(model, lookup: str) -> bool:
    try:
        model._meta.get_field(lookup)
    except FieldDoesNotExist:
        return False
    return True


def lookup_for(model, spec: FacetSpec) -> str | None:
    return spec.lookup if spec.lookup and field_exists(model, spec.lookup) else None


def has_members_only(model) -> bool:
    return field_exists(model, "members_only")


def gated_for(model, lookup: str, teaser_reader: bool) -> bool:
    """Must a facet on ``lookup`` leave out ``model``'s members-only items for this reader?

    Yes for people reading teasers only, unless the model declares ``lookup`` a teaser field
    (``TEASER_FILTER_FIELDS``: shown publicly on a members-only item's page).
    """
    return (
        teaser_reader
        and has_members_only(model)
        and lookup not in getattr(model, "TEASER_FILTER_FIELDS", ())
    )


def clean_filters(filters: dict | None, specs) -> dict[str, list[str]]:
    keys = {spec.key for spec in specs} | {KIND_FACET.key}
    cleaned = {}
    for key, values in (filters or {}).items():
        if key not in keys:
            continue
        values = [values] if isinstance(values, str) else list(values)
        values = [str(v)[:100] for v in values if str(v).strip()][:50]
        if values:
            cleaned[key] = values
    return cleaned


def apply_filters(model, queryset, specs, filters, *, teaser_reader: bool, skip: str | None = None):
    """AND across facets, OR within one; ``skip`` leaves one facet out (for its own counts).

    A filter on a non-teaser field matches only public items for a ``teaser_reader``.
    """
    for spec in specs:
        if spec.key == skip or spec.key not in filters:
            continue
        lookup = lookup_for(model, spec)
        if lookup is None:
            continue
        if gated_for(model, lookup, teaser_reader):
            queryset = queryset.filter(members_only=False)
        field_obj = model._meta.get_field(lookup)
        values = filters[spec.key]
        if field_obj.is_relation or isinstance(field_obj, IntegerField):
            values = parse_ids(values)
        condition = {f"{lookup}__in": values}
        if field_obj.many_to_many or field_obj.one_to_many:
            # A subquery, not a join: a page with two chosen themes still counts once.
            queryset = queryset.filter(pk__in=model.objects.filter(**condition).values("pk"))
        else:
            queryset = queryset.filter(**condition)
    return queryset


def _value_labels(models, spec: FacetSpec, values) -> dict[str, str]:
    """Labels of facet values (related objects' names, choice labels), by value as text."""
    labels: dict[str, str] = {}
    for model in models:
        lookup = lookup_for(model, spec)
        if lookup is None:
            continue
        field_obj = model._meta.get_field(lookup)
        if field_obj.is_relation:
            related = field_obj.related_model
            wanted = parse_ids(v for v in values if v not in labels)
            if wanted:
                known = _all_by_id(related)
                labels.update({str(pk): str(known[pk]) for pk in wanted if pk in known})
        elif field_obj.choices:
            labels.update({str(key): str(label) for key, label in field_obj.flatchoices})
    return labels


def _all_by_id(model) -> dict:
    """Every row of a small vocabulary (themes, actors) by id, kept per worker until the next
    purge (editing one purges: taxonomy.signals)."""
    return site_state.remember(f"facet-labels:{model._meta.label}", lambda: model.objects.in_bulk())


def build_facet(spec: FacetSpec, models, counts: Counter, selected: list[str]) -> Facet | None:
    """The facet ``spec`` from its counts; None if no searched model has its field."""
    if not any(lookup_for(model, spec) for model in models):
        return None
    labels = _value_labels(models, spec, list(counts))
    values = [
        FacetValue(
            value=value,
            label=labels.get(value, value),
            count=n,
            selected=value in selected,
        )
        for value, n in counts.items()
    ]
    # Selected values stay visible even when the other filters leave them no hits.
    for value in selected:
        if value not in counts:
            values.append(FacetValue(value=value, label=value, count=0, selected=True))
    if spec.order == "value_desc":
        values.sort(key=lambda v: v.value, reverse=True)
    else:
        values.sort(key=lambda v: (-v.count, v.label.lower()))
    return Facet(key=spec.key, label=str(spec.label), values=values)


def kind_labels(models: dict) -> dict[str, str]:
    return {
        kind: str(model._meta.verbose_name_plural).capitalize() for kind, model in models.items()
    }
