"""The library search (cases and resources) with facets.

How it runs, the same way on every search backend:

1. The backend ranks the ids of *visible* live pages that match the query
   (``members_area.access.visible_pages``; ``SearchEngine.ranked_ids`` of the backend, see
   ``search.backends``).
2. For people who may not read members-only items in full, members-only hits are kept only if
   the query matches their *teaser* (``TEASER_SEARCH_FIELDS``, same stemming as PostgreSQL's
   Danish configuration), their snippets are cut from the teaser, and their order among
   themselves follows the teaser: the full text may decide what members find, never what the
   public finds. (Which places in the list members-only hits take is still the engine's
   ranking over the whole document.)
3. Filters, facet counts, ordering and pagination run in the database, on the ids that
   survived steps 1-2 (sent once per statement as ``library_hits``) or, without a query, on the
   visible pages. So results and counts can only ever contain what survived steps 1-2. ORM
   querysets decide which pages count under which values; all counts come from ONE statement
   that only groups their rows (``counts.facet_counts``), a page sorted by date from one more.
4. A facet over a field the public teaser does not show (``TEASER_FILTER_FIELDS`` on the
   model; the case actors, say) counts and matches only public items for those readers: else
   ``?aktoerer=<id>`` would tell anyone which members-only cases have which partners.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from wagtail.models import Locale, Page

from .. import text
from . import spelling
from .counts import KIND_COUNT, PAGES, facet_counts
from .facets import (
    CASE_FACETS,
    KIND_FACET,
    RESOURCE_FACETS,
    SHARED_FACETS,
    apply_filters,
    build_facet,
    clean_filters,
    kind_labels,
    library_models,
)
from .hits import load_hits
from .ordering import PagedIds, newest_first
from .results import PAGE_SIZE, Facet, FacetValue, LibraryResult, Suggestions
from .site import (
    active_locale,
    autocomplete,
    in_language,
    ranked_search,
    searchable,
    visibility,
)
from .sql import HITS
from .teasers import rank_for_teaser_reader, reads_full_content, split_by_model


def library_search(
    user,
    *,
    query: str = "",
    kind: str | None = None,
    filters: dict | None = None,
    sort: str = "relevance",
    page: int | str | None = 1,
    locale: Locale | None = None,
    page_size: int = PAGE_SIZE,
    suggest: bool = True,
) -> LibraryResult:
    """Search cases and/or resources with facets, as ``user`` may see them."""
    user = user or AnonymousUser()  # one object per search: access memoises per user
    query = (query or "").strip()[:200]
    sort = sort if sort in {"relevance", "date"} else "relevance"
    available = library_models()
    kind = kind if kind in available else None
    models = {kind: available[kind]} if kind else available
    specs = (
        RESOURCE_FACETS
        if kind == "resources"
        else CASE_FACETS
        if kind == "cases"
        else SHARED_FACETS
    )
    filters = clean_filters(filters, specs)
    locale = locale or active_locale()
    language = locale.language_code[:2]
    teaser_reader = not reads_full_content(user)

    def visible(model):
        return in_language(model.objects.live(), user, locale)

    degraded = False
    hits: list[int] | None = None  # with a query: the ids that may be shown, best first
    teasers: dict[int, str] = {}  # with a query: members-only hits' teasers for teaser readers
    if query and models:
        base = searchable(Page.objects.live().type(*models.values()), user, locale)
        seen_by = visibility(user, locale)  # what the statements' SQL depends on
        outcome = ranked_search(base, query, shape=("library", *models.values(), *seen_by))
        ranked, degraded = outcome.value, outcome.degraded
        ids_by_model, teasers = split_by_model(
            ranked,
            models.values(),
            visible,
            teasers=teaser_reader,
            shape=("visible", *seen_by),
        )
        ranked = rank_for_teaser_reader(ranked, ids_by_model, teasers, query, language)
        shown = {pk for ids in ids_by_model.values() for pk in ids}
        hits = [pk for pk in ranked if pk in shown]
        # The ids were checked against ``visible`` in split_by_model: counting on them alone
        # spares every facet query the join with the page tree and its restrictions.
        matched = {model: model.objects.filter(pk__in=HITS) for model in models.values()}
    else:
        matched = {model: visible(model) for model in models.values()}

    model_kinds = {model: k for k, model in models.items()}
    selected_kinds = [k for k in filters.get(KIND_FACET.key, []) if k in models]
    filtered = {
        model: apply_filters(model, qs, specs, filters, teaser_reader=teaser_reader)
        for model, qs in matched.items()
    }
    in_kinds = {
        model: qs
        for model, qs in filtered.items()
        if not selected_kinds or model_kinds[model] in selected_kinds
    }
    facet_filtered = any(spec.key in filters for spec in specs)
    by_relevance = hits is not None and sort == "relevance"
    counts = facet_counts(
        matched,
        specs,
        filters,
        teaser_reader=teaser_reader,
        kinds=model_kinds,
        facet_models=in_kinds,
        hits=hits,
        # Ranked hits narrowed by a facet: which are left comes with the counts.
        listed_models=in_kinds if by_relevance and facet_filtered else (),
    )

    facets: list[Facet] = []
    if not kind and len(models) > 1:
        labels = kind_labels(models)
        facets.append(
            Facet(
                key=KIND_FACET.key,
                label=str(KIND_FACET.label),
                values=[
                    FacetValue(k, labels[k], counts[KIND_COUNT][k], k in selected_kinds)
                    for model, k in model_kinds.items()
                ],
            )
        )
    for spec in specs:
        facet = build_facet(spec, list(in_kinds), counts[spec.key], filters.get(spec.key, []))
        if facet is not None and facet.values:
            facets.append(facet)

    if by_relevance:
        if facet_filtered:
            chosen = {int(pk) for pk in counts[PAGES]}
        else:  # every hit of the chosen kinds
            chosen = {pk for model in in_kinds for pk in ids_by_model[model]}
        ordered = [pk for pk in hits if pk in chosen]
    else:
        total = sum(counts[KIND_COUNT][model_kinds[model]] for model in in_kinds)
        ordered = PagedIds(total, lambda offset, limit: newest_first(in_kinds, hits, offset, limit))
    paginator = Paginator(ordered, page_size)
    page_obj = paginator.get_page(page)
    page_obj.object_list = load_hits(
        list(page_obj.object_list), query, user, language, models=list(in_kinds), teasers=teasers
    )

    suggestions = Suggestions()
    if not paginator.count:
        suggestions = _suggestions(
            query,
            user,
            locale,
            filters,
            matched=matched,
            visible={model: visible(model) for model in models.values()},
            hits=hits,
            kinds=model_kinds,
        )
        if query and suggest:
            alternative = spelling.suggestion(query)
            if (
                alternative
                and library_search(
                    user,
                    query=alternative,
                    kind=kind,
                    filters=filters,
                    locale=locale,
                    suggest=False,
                ).total
            ):
                suggestions.did_you_mean = alternative
    return LibraryResult(
        query=query,
        kind=kind,
        sort=sort,
        filters=filters,
        page=page_obj,
        total=paginator.count,
        facets=facets,
        suggestions=suggestions,
        degraded=degraded,
    )


def _suggestions(query, user, locale, filters, *, matched, visible, hits, kinds) -> Suggestions:
    """For a search without results: how many hits without the filters (``matched``), similar
    titles, the visible pages' most common themes."""
    suggestions = Suggestions()
    teaser_reader = not reads_full_content(user)
    if filters:
        counts = facet_counts(
            matched, (), {}, teaser_reader=teaser_reader, kinds=kinds, facet_models=(), hits=hits
        )
        suggestions.without_filters_count = sum(counts[KIND_COUNT].values())
    if query:
        suggestions.similar_titles = [
            item["title"] for item in autocomplete(user, _shorter(query), locale=locale)
        ][:5]
    theme = SHARED_FACETS[0]
    counts = facet_counts(
        visible, [theme], {}, teaser_reader=teaser_reader, kinds={}, facet_models=visible, hits=None
    )
    theme_facet = build_facet(theme, list(visible), counts[theme.key], [])
    if theme_facet:
        suggestions.popular_themes = theme_facet.values[:6]
    return suggestions


def _shorter(query: str) -> str:
    """The first word cut to a prefix, so a misspelt or inflected word finds its neighbours."""
    words = text.query_terms(query) or query.split()
    if not words:
        return ""
    first = words[0]
    return first[: max(3, len(first) - 3)]
