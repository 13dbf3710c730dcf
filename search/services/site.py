"""Site search (every visible page type), autocomplete, and the engine's ranked ids."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from wagtail.models import Locale, Page

from core import site_state
from core.translations import active_locale, one_per_translation
from members_area.access import hidden_paths, visible_pages

from ..backends import engine
from . import spelling
from .facets import library_models
from .hits import load_hits
from .results import PAGE_SIZE, SiteSearchResult
from .sql import ids_to_bind, prepared, run
from .teasers import rank_for_teaser_reader, reads_full_content, split_by_model


def searchable(queryset, user, locale: Locale):
    """What ``user`` may see of ``queryset`` in ``locale`` and in Danish, the fallback: the
    set the engine searches (it filters on plain fields only). ``in_language`` then keeps
    each page once."""
    default = site_state.default_locale()
    return visible_pages(queryset.filter(locale_id__in={locale.pk, default.pk}), user)


def in_language(queryset, user, locale: Locale):
    """What ``user`` may see of ``queryset``, each page once: in ``locale`` where translated,
    otherwise the Danish page (DESIGN.md "Languages")."""
    return one_per_translation(visible_pages(queryset, user), locale)


def visibility(user, locale: Locale) -> tuple:
    """All that the SQL of ``searchable`` and ``in_language`` depends on besides the
    queryset: part of the key of statements compiled once (``sql.prepared``)."""
    default = site_state.default_locale()
    return (locale.pk, locale.language_code, default.pk, tuple(hidden_paths(user)))


MAX_RESULTS = 10_000
AUTOCOMPLETE_LIMIT = 8


def ranked_search(queryset, query: str, shape: tuple | None = None) -> engine.Outcome:
    """Ids of ``queryset`` matching ``query``, best first, without loading the pages; from
    the database backend if the configured engine is down (``degraded``). ``shape``: see
    ``SearchEngine.ranked_ids``."""
    return engine.run(
        lambda backend: backend.ranked_ids(
            queryset, query, operator="and", limit=MAX_RESULTS, shape=shape
        )
    )


def ranked_ids(queryset, query: str) -> list[int]:
    return ranked_search(queryset, query).value


def autocomplete(
    user, query: str, *, locale: Locale | None = None, limit: int = AUTOCOMPLETE_LIMIT
):
    """Titles and URLs of visible live pages whose title starts with the words typed.

    Titles are teaser fields, so members-only items may be suggested to everyone.
    """
    user = user or AnonymousUser()
    query = (query or "").strip()[:100]
    if len(query) < 2:
        return []
    locale = locale or active_locale()
    pages = searchable(Page.objects.live().filter(depth__gt=2), user, locale)
    ids = engine.run(lambda backend: backend.autocomplete_ids(pages, query, limit=limit * 3)).value
    by_id = in_language(Page.objects.live(), user, locale).in_bulk(ids)
    candidates = [by_id[pk] for pk in ids if pk in by_id]
    items = []
    for page in candidates:
        url = page.get_url()
        if url and page.title not in {item["title"] for item in items}:
            items.append({"title": page.title, "url": url})
        if len(items) >= limit:
            break
    return items


def site_search(
    user,
    query: str,
    page: int | str | None = 1,
    *,
    locale: Locale | None = None,
    page_size: int = PAGE_SIZE,
    suggest: bool = True,
) -> SiteSearchResult:
    """Search every visible live page type (pages, news, cases, resources, events)."""
    user = user or AnonymousUser()
    query = (query or "").strip()[:200]
    locale = locale or active_locale()
    language = locale.language_code[:2]
    ids: list[int] = []
    content_types: dict[int, int] = {}
    teasers: dict[int, str] = {}
    degraded = False
    if query:
        pages = Page.objects.live().filter(depth__gt=1)
        seen_by = visibility(user, locale)  # what the statements' SQL depends on
        outcome = ranked_search(searchable(pages, user, locale), query, shape=("site", *seen_by))
        ranked, degraded = outcome.value, outcome.degraded
        # Each id's page type with it: the hits are then read from their own tables.
        shown = prepared(
            ("shown", *seen_by),
            lambda: (
                in_language(pages, user, locale)
                .filter(pk__in=ids_to_bind())
                .values_list("pk", "content_type_id")
            ),
        )
        content_types = dict(run(shown, ranked))
        ranked = [pk for pk in ranked if pk in content_types]
        teaser_reader = not reads_full_content(user)
        # ``shown`` checked what may be shown: the library's tables only sort the hits.
        ids_by_model, teasers = split_by_model(
            ranked,
            library_models().values(),
            lambda model: model.objects.all(),
            teasers=teaser_reader,
            shape=("all",),
        )
        ids = rank_for_teaser_reader(ranked, ids_by_model, teasers, query, language)
    paginator = Paginator(ids, page_size)
    page_obj = paginator.get_page(page)
    page_obj.object_list = load_hits(
        list(page_obj.object_list),
        query,
        user,
        language,
        content_types=content_types,
        teasers=teasers,
    )
    did_you_mean = ""
    if query and suggest and not paginator.count:
        alternative = spelling.suggestion(query)
        if alternative and site_search(user, alternative, locale=locale, suggest=False).total:
            did_you_mean = alternative
    return SiteSearchResult(
        query=query,
        page=page_obj,
        total=paginator.count,
        degraded=degraded,
        did_you_mean=did_you_mean,
    )
