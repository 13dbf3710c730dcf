"""What every page request reads and editors rarely change, kept once per worker process.

Profiling the public pages showed a third of each request going to the same few lookups:
Wagtail's site match (one query), the active locale and the localised, specific site root
(two more) before routing even starts, and the site settings for the header and footer. They
change only when an editor edits a site, a setting or the page tree, and every such change
bumps the page-cache generation (``core.page_cache.purge``). So each worker keeps one
snapshot of them tagged with the generation it was read under; a request reads the current
generation once and rebuilds the snapshot when it moved. When the generation cannot be read
(the shared cache is away), nothing is reused and the request reads the database as before.

Only plain lookups are kept. Page objects that a request serves or renders are never shared
between requests: the snapshot holds the site roots for routing only, and the site settings
are handed out as copies.
"""

from __future__ import annotations

import copy
import functools
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.models.sites import get_site_for_hostname

from core import page_cache

_UNSET = object()


@dataclass
class Snapshot:
    generation: object
    sites: dict[tuple[str, int], Site | None] = field(default_factory=dict)
    roots: dict[tuple[int, str], Page] = field(default_factory=dict)
    settings: dict[tuple[type, int], object] = field(default_factory=dict)
    routes: dict[str, tuple[int, int]] = field(default_factory=dict)
    locales: dict[str, Locale] = field(default_factory=dict)
    values: dict[str, tuple[float, object]] = field(default_factory=dict)


_snapshot = Snapshot(generation=_UNSET)


def forget() -> None:
    """Drop this process's snapshot (tests: each starts from an empty database)."""
    global _snapshot
    _snapshot = Snapshot(generation=_UNSET)


def current(request) -> Snapshot | None:
    """This worker's snapshot for the generation in force, or None when it cannot be trusted."""
    generation = getattr(request, "_site_state_generation", _UNSET)
    if generation is _UNSET:
        generation = page_cache.site_generation()
        request._site_state_generation = generation
    return _for_generation(generation)


def _for_generation(generation) -> Snapshot | None:
    global _snapshot
    if generation is None:
        return None
    if _snapshot.generation != generation:
        _snapshot = Snapshot(generation=generation)
    return _snapshot


def active_locale() -> Locale:
    """``Locale.get_active()`` (the visitor's language), kept per generation, as a copy.

    No request needed: the generation is read once per request anyway (``page_cache``).
    Locales are only added or removed together with page-tree changes, which bump it.
    """
    return _locale(get_language() or settings.LANGUAGE_CODE, Locale.get_active)


def default_locale() -> Locale:
    """``Locale.get_default()`` (Danish), kept like ``active_locale``."""
    return _locale(f"default:{settings.LANGUAGE_CODE}", Locale.get_default)


def _locale(key: str, read) -> Locale:
    snapshot = _for_generation(page_cache.site_generation())
    if snapshot is None:
        return read()
    if key not in snapshot.locales:
        snapshot.locales[key] = read()
    return copy.copy(snapshot.locales[key])


def site_for_request(request) -> Site | None:
    """``Site.find_for_request`` with the match kept per (host, port) for the generation."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    snapshot = current(request)
    if snapshot is None:
        return Site.find_for_request(request)
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = (hostname, port)
    if key not in snapshot.sites:
        try:
            snapshot.sites[key] = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            snapshot.sites[key] = None
    request._wagtail_site = snapshot.sites[key]
    return request._wagtail_site


def _routing_root(request, site: Site) -> Page:
    """The site root in the active language (live translation, else the root), specific."""
    snapshot = current(request)
    language = get_language() or settings.LANGUAGE_CODE
    if snapshot is None:
        return site.root_page.localized.specific
    key = (site.pk, language)
    if key not in snapshot.roots:
        snapshot.roots[key] = site.root_page.localized.specific
    return snapshot.roots[key]


def route(request, path: str):
    """Wagtail's ``Page.route_for_request`` result for ``path``, with the root from the snapshot.

    The shared root only routes (it reads its own ``url_path`` and children); when the request
    is for the root itself, a fresh copy is loaded to be served.
    """
    site = site_for_request(request)
    if site is None:
        return None
    components = [component for component in path.split("/") if component]
    root = _routing_root(request, site)
    if not components:
        root = _for_serving(type(root)).get(pk=root.pk)
    try:
        return root.route(request, components)
    except Http404:
        return None


def live_page_at(request, url_path: str) -> Page | None:
    """The live page at ``url_path``, specific: one query once this worker has routed it.

    Only where to look is kept (page id and type); the page itself is loaded fresh, and a
    page that since moved or went offline is looked up again.
    """
    snapshot = current(request)
    known = snapshot.routes.get(url_path) if snapshot else None
    if known is not None:
        model = ContentType.objects.get_for_id(known[1]).model_class()
        if model is not None:
            page = _for_serving(model).filter(pk=known[0], url_path=url_path, live=True).first()
            if page is not None:
                return page
    page = Page.objects.filter(url_path=url_path, live=True).first()
    if page is None:
        return None
    if snapshot is not None:
        snapshot.routes[url_path] = (page.pk, page.content_type_id)
    return page.specific


def remember(key: str, compute, timeout: float | None = None):
    """``compute()`` kept in this worker until the next purge (any publish, move or delete),
    or for ``timeout`` seconds when it also moves with the clock.

    For the chrome and the small lookups pages share (menu entries, a page's translations,
    neighbours, comment threads): read-only values, never changed by whoever reads them, and
    keyed by whatever they depend on (language, the reader's visibility). Kept per process
    rather than in the shared cache: on a page that renders seven of them, the round trips and
    unpickling cost more than computing most of them.
    """
    snapshot = _for_generation(page_cache.site_generation())
    if snapshot is None:
        return compute()
    now = time.monotonic()
    kept = snapshot.values.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    value = compute()
    snapshot.values[key] = (now + timeout if timeout else float("inf"), value)
    return value


def _for_serving(model):
    """``model``'s pages with their images (teaser image, hero...) joined in: a page shows
    them, and its sharing tags too, so they come with the page instead of a query each."""
    images = _image_fields(model)
    return model.objects.select_related(*images) if images else model.objects.all()


@functools.cache
def _image_fields(model) -> tuple[str, ...]:
    image_model = get_image_model()
    return tuple(
        field.name
        for field in model._meta.get_fields()
        if field.many_to_one and field.concrete and field.related_model is image_model
    )


def site_setting(request, model):
    """``model.for_request(request)`` (a Wagtail site setting) from the snapshot, as a copy."""
    attr = model.get_cache_attr_name()
    if hasattr(request, attr):
        return getattr(request, attr)
    site = site_for_request(request)
    snapshot = current(request)
    if snapshot is None or site is None:
        instance = model.for_site(site)
    else:
        key = (model, site.pk)
        if key not in snapshot.settings:
            snapshot.settings[key] = model.for_site(site)
        instance = copy.copy(snapshot.settings[key])
    instance._request = request
    setattr(request, attr, instance)
    return instance
