"""Members-only hits for people who may read their teasers only.

Such hits are kept only if the query matches their *teaser* (``TEASER_SEARCH_FIELDS``; the one
matcher is ``text.QueryMatcher``), and their order among themselves follows the teaser: the
full text may decide what members find, never what the public finds.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import (
    BooleanField,
    Case,
    F,
    IntegerField,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from modelsearch.index import RelatedFields, SearchField
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField

from members_area.access import is_member

from .. import text
from .facets import field_exists, has_members_only
from .sql import HITS, fetch, id_set, ids_to_bind, prepared, union_all


def reads_full_content(user) -> bool:
    """May ``user`` read members-only flagged items in full?

    On pages already filtered by ``visible_pages`` this is exactly what
    ``access.can_view_full_content`` answers for a ``members_only`` page; asked once per
    search instead of once per hit.
    """
    return is_member(user)


def _stored_text(block, raw) -> list[str]:
    """The text blocks' words in a StreamField's stored data (rich text as plain text).

    Walks the block definitions, so only text a reader sees is taken (not choice values, URLs
    or chosen ids) and nothing is converted to blocks.
    """
    if raw is None or raw == "":
        return []
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)):
        return [text.plain_text(str(raw))]
    if isinstance(block, blocks.StreamBlock):
        return [
            part
            for item in raw
            if isinstance(item, dict) and item.get("type") in block.child_blocks
            for part in _stored_text(block.child_blocks[item["type"]], item.get("value"))
        ]
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        return [
            part
            for name, child in block.child_blocks.items()
            for part in _stored_text(child, raw.get(name))
        ]
    if isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        items = (
            item["value"] if isinstance(item, dict) and "value" in item else item for item in raw
        )
        return [part for item in items for part in _stored_text(block.child_block, item)]
    return []


def text_of(obj, search_fields, *, stored_streams: bool = False) -> str:
    """The plain text that ``search_fields`` (SearchField/RelatedFields) index for ``obj``.

    With ``stored_streams`` (snippets), StreamFields are read from their stored data instead
    of being converted to blocks, which loads every chosen page, image or document (a query
    per hit).
    """
    parts: list[str] = []
    for search_field in search_fields:
        if isinstance(search_field, RelatedFields):
            value = search_field.get_value(obj)
            if value is None:
                continue
            related = value.all() if hasattr(value, "all") else [value]
            for item in related:
                parts.append(text_of(item, search_field.fields))
        elif isinstance(search_field, SearchField):
            stream = getattr(obj, search_field.field_name, None)
            if stored_streams and isinstance(stream, StreamValue):
                parts.extend(_stored_text(stream.stream_block, list(stream.raw_data)))
                continue
            parts.extend(_value_parts(search_field.get_value(obj)))
    return " ".join(part for part in parts if part)


def _value_parts(value) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return [str(v) for v in value.values()]
    return [str(value)] if value else []


def column_text(model, values: dict, search_fields) -> str:
    """``text_of(page, search_fields, stored_streams=True)`` for SearchFields over ``model``'s
    own columns, from the ``values`` read (attname: value, converted as the ORM does), with
    modelsearch's rule for what a field indexes (``get_searchable_content``)."""
    parts: list[str] = []
    for search_field in search_fields:
        value = values[search_field.field_name]
        if isinstance(value, StreamValue):
            parts.extend(_stored_text(value.stream_block, list(value.raw_data)))
            continue
        field = model._meta.get_field(search_field.field_name)
        if hasattr(field, "get_searchable_content"):
            value = field.get_searchable_content(value)
        parts.extend(_value_parts(value))
    return " ".join(part for part in parts if part)


def teaser_fields(model) -> list:
    return list(
        getattr(model, "TEASER_SEARCH_FIELDS", None)
        or [SearchField("title"), SearchField("listing_summary")]
    )


def full_fields(model) -> list:
    return list(getattr(model, "FULL_SEARCH_FIELDS", None) or model.get_searchable_search_fields())


def teaser_text(page) -> str:
    return text_of(page, teaser_fields(type(page)))


def _teaser_sources(model) -> tuple[list[str], list[str], list]:
    """Where ``model``'s teaser text comes from: its columns, lookups of related rows
    (``themes__name``), and fields that need the instances (methods, StreamFields)."""
    columns, related, others = [], [], []
    for search_field in teaser_fields(model):
        if isinstance(search_field, RelatedFields):
            related += [
                f"{search_field.field_name}__{sub.field_name}"
                for sub in search_field.fields
                if isinstance(sub, SearchField)
            ]
        elif field_exists(model, search_field.field_name) and not isinstance(
            model._meta.get_field(search_field.field_name), StreamField
        ):
            columns.append(search_field.field_name)
        else:
            others.append(search_field)
    return columns, related, others


def split_by_model(
    ranked: list[int], models, visible, *, teasers: bool, shape: tuple
) -> tuple[dict, dict[int, str]]:
    """Which ranked ids belong to which of ``models``, re-checked against ``visible(model)``
    (the visible pages); with ``teasers``, the teaser text of those flagged members-only.

    ``shape`` names all that the SQL of ``visible`` depends on (see ``site.visibility``): the
    statement is compiled once per shape (``sql.prepared``), the ids bound at each search.
    """
    models = tuple(models)
    statement = prepared(
        ("split", models, teasers, *shape),
        lambda: union_all(_split_parts(models, visible, teasers)),
    )
    found: dict[int, set[int]] = defaultdict(set)
    texts: dict[int, list[str]] = {}
    rows = fetch(statement.sql, statement.params, hits=ranked) if ranked else ()
    for pk, number, members_only, teaser in rows:
        found[number].add(pk)
        if members_only:
            texts[pk] = [teaser] if teaser else []
    ids_by_model = {
        model: [pk for pk in ranked if pk in found[number]] for number, model in enumerate(models)
    }
    if texts:
        _add_teaser_texts(texts, ids_by_model)
    return ids_by_model, {pk: " ".join(parts) for pk, parts in texts.items()}


def _split_parts(models, visible, teasers: bool) -> list:
    """A queryset per model for ``split_by_model``: its visible hits' ids, the model's number,
    the members-only flag and the teaser's own columns of the members-only ones."""
    parts = []
    no_text = Value(None, output_field=TextField())
    for number, model in enumerate(models):
        gated = teasers and has_members_only(model)
        columns = _teaser_sources(model)[0] if gated else []
        text_of_columns = no_text
        if columns:
            spaced = [part for column in columns for part in (Value(" "), column)][1:]
            joined = (
                Concat(*spaced, output_field=TextField())
                if len(spaced) > 1
                else Cast(columns[0], TextField())
            )
            text_of_columns = Case(When(members_only=True, then=joined), default=no_text)
        flag = F("members_only") if gated else Value(False)
        parts.append(
            visible(model)
            .filter(pk__in=HITS)
            .order_by()
            .annotate(
                model_number=Value(number, output_field=IntegerField()),
                members_only_flag=Cast(flag, BooleanField()),
                teaser=text_of_columns,
            )
            .values_list("pk", "model_number", "members_only_flag", "teaser")
        )
    return parts


def _add_teaser_texts(texts: dict[int, list[str]], ids_by_model: dict) -> None:
    """Add what the teasers show of related rows (one statement) and of fields that need the
    instances to ``texts`` (page id: parts, for the members-only hits)."""
    gated_models, gated_ids = [], []
    for model, ids in ids_by_model.items():
        gated = [pk for pk in ids if pk in texts]
        if not gated:
            continue
        gated_ids += gated
        related, others = _teaser_sources(model)[1:]
        if related:
            gated_models.append(model)
        if others:  # methods, StreamFields
            for page in model.objects.filter(pk__in=id_set(gated)):
                texts[page.pk].append(text_of(page, others))
    if not gated_models:
        return
    statement = prepared(
        ("teaser-related", *gated_models),
        lambda: union_all(
            model.objects.filter(pk__in=ids_to_bind())
            .order_by()
            .annotate(teaser=Cast(lookup, TextField()))
            .values_list("pk", "teaser")
            for model in gated_models
            for lookup in _teaser_sources(model)[1]  # a row per related item (theme, ...)
        ),
    )
    for pk, teaser in fetch(statement.sql, statement.bind(gated_ids)):
        if teaser:
            texts[pk].append(teaser)


def rank_for_teaser_reader(ranked, ids_by_model, teasers: dict[int, str], query, language):
    """The engine's ranking as a reader of teasers only may have it.

    ``teasers``: the teaser text of every members-only hit (from ``split_by_model``); empty
    for readers of the full text. Members-only hits stay only if their teaser matches. The
    engine ranks them on the whole document, so their order among themselves would tell how
    much their hidden text is about the query: they are dealt back into the places the engine
    gave them ordered by their teaser alone (most matching words first, then the oldest page;
    ``text.QueryMatcher`` decides both).
    ``ids_by_model`` is narrowed to the hits kept.
    """
    if not teasers:
        return ranked
    matcher = text.QueryMatcher(query, language)
    kept = {}
    for pk, teaser in teasers.items():
        score = matcher.score(teaser)
        if score is not None:
            kept[pk] = score
    ranked = [pk for pk in ranked if pk not in teasers or pk in kept]
    for model, ids in ids_by_model.items():
        ids_by_model[model] = [pk for pk in ids if pk not in teasers or pk in kept]
    places = [position for position, pk in enumerate(ranked) if pk in kept]
    by_teaser = sorted(kept, key=lambda pk: (-kept[pk], pk))
    for position, pk in zip(places, by_teaser, strict=True):
        ranked[position] = pk
    return ranked
