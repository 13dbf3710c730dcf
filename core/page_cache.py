"""Full-page cache for anonymous visitors, purged whenever the page tree changes.

Only responses produced by Wagtail for a page that an anonymous visitor may open are stored
(the ``before_serve_page`` hook marks them), and only when nothing personal went into them: no
CSRF token, no cookie set, no flash message. Logged-in visitors never read from or write to it,
and every response to a logged-in visitor is marked ``Cache-Control: private`` so no shared
cache (proxy, CDN) keeps it either.

Only the bare URL and a short whitelist of query parameters with bounded values are cached
(``CACHEABLE_QUERY``); any other query string bypasses the cache, so random query strings
cannot fill Redis. Tracking parameters (``utm_*`` and the like) are ignored when reading, but a
page is only stored from a request without them.

Purging bumps a generation kept in the database (``CacheGeneration``), and every key contains
it: a purge reaches every worker, commits with the content it is about, and still holds when
Redis missed it (away, hung, or restarted from an older snapshot with old pages in it).
``purge_page`` does the same for one URL path only, for changes that show on a single page (an
event's free seats). Enabled with ``PAGE_CACHE_SECONDS`` > 0. See docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import re
import time
from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

from .models import CacheGeneration

SITE_WIDE = "*"
STORED_HEADERS = ("Content-Type", "Content-Language", "Link")
# Query parameters whose values change a cached page, with the values that are cached: page
# numbers of listings (bounded, canonical form only) and the events page's past-events switch.
CACHEABLE_QUERY = {"side": re.compile(r"[1-9][0-9]?"), "vis": re.compile(r"tidligere")}
TRACKING_PARAMETERS = re.compile(r"utm_[a-z_]+|fbclid|gclid|mc_cid|mc_eid")

# The generations read once per request (reset by the middleware), None outside a request.
_request_generations: ContextVar[dict | None] = ContextVar("page_cache_generations", default=None)


_GENERATIONS_SQL = {
    count: "SELECT scope, value FROM {table} WHERE scope IN ({marks})".format(
        table=CacheGeneration._meta.db_table, marks=", ".join(["%s"] * count)
    )
    for count in (1, 2)
}


def _seconds() -> int:
    return int(settings.PAGE_CACHE_SECONDS)


def _path_scope(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()


def _generations(path: str | None = None) -> tuple[int, int]:
    """The site-wide generation and ``path``'s own, in one query (memoised per request)."""
    memo = _request_generations.get()
    memo_key = path or ""
    if memo is not None and memo_key in memo:
        return memo[memo_key]
    scopes = [SITE_WIDE] + ([_path_scope(path)] if path else [])
    # Plain SQL: this runs on every cache hit, where building the ORM query cost more than the
    # indexed primary-key lookup itself.
    with connection.cursor() as cursor:
        cursor.execute(_GENERATIONS_SQL[len(scopes)], scopes)
        values = dict(cursor.fetchall())
    result = values.get(SITE_WIDE, 0), values.get(scopes[-1], 0) if path else 0
    if memo is not None:
        memo[memo_key] = result
        memo.setdefault("", (result[0], 0))
    return result


def _bump(scope: str) -> None:
    """A new generation for ``scope``, never one used before (even after a database restore).

    Part of the caller's transaction: the new generation becomes visible together with the
    content change it is about, so nobody can cache the old content under the new number.
    """
    new_value = Greatest(
        F("value") + 1, Value(time.time_ns()), output_field=models.BigIntegerField()
    )
    if not CacheGeneration.objects.filter(scope=scope).update(value=new_value):
        try:
            with transaction.atomic():
                CacheGeneration.objects.create(scope=scope, value=time.time_ns())
        except IntegrityError:  # created concurrently: bump that row instead
            CacheGeneration.objects.filter(scope=scope).update(value=new_value)
    memo = _request_generations.get()
    if memo is not None:
        memo.clear()


def site_generation() -> int:
    """The site-wide generation in force (read once per request), for per-process copies of
    site-wide lookups (``core.site_state``)."""
    return _generations()[0]


def purge() -> None:
    """Invalidate every cached page (listings change whenever any page does) and the chrome."""
    _bump(SITE_WIDE)


def purge_page(page) -> None:
    """Invalidate the cached copies of one page (every query string and host), nothing else.

    For changes that show on that page alone, such as the free seats of an event; anything
    that also changes listings must use ``purge``.
    """
    url_parts = page.get_url_parts()
    if url_parts is None:  # not routable: nothing of it is cached
        return
    _bump(_path_scope(url_parts[2]))


def _cacheable_query(request) -> tuple[str | None, bool]:
    """The query string the cache key uses (None: bypass the cache), and whether it may store.

    Whitelisted parameters with valid values are kept in a canonical order; tracking
    parameters are dropped for reading but forbid storing (what is stored must have been
    rendered from the key's own URL); anything else bypasses the cache.
    """
    if not request.META.get("QUERY_STRING"):
        return "", True
    try:
        pairs = parse_qsl(request.META["QUERY_STRING"], keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None, False
    kept: dict[str, str] = {}
    tracked = False
    for name, value in pairs:
        if TRACKING_PARAMETERS.fullmatch(name):
            tracked = True
            continue
        pattern = CACHEABLE_QUERY.get(name)
        if pattern is None or name in kept or not pattern.fullmatch(value):
            return None, False
        kept[name] = value
    return urlencode(sorted(kept.items())), not tracked


def _key(request, query: str) -> str:
    site_generation, path_generation = _generations(request.path)
    raw = f"{request.get_host()}|{request.path}?{query}|{get_language()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"page-cache:{site_generation}:{path_generation}:{digest}"


def _anonymous_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or "messages" in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and "_messages" in session)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generations.set({})
        try:
            return self._serve(request)
        finally:
            _request_generations.reset(token)

    def _serve(self, request):
        query, storable_query = _cacheable_query(request)
        if _seconds() and query is not None and _anonymous_request(request):
            cached = cache.get(_key(request, query))
            if cached is not None:
                response = HttpResponse(cached["content"], status=200)
                for name, value in cached["headers"].items():
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response

        response = self.get_response(request)

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        elif query is not None and storable_query and self._storable(request, response):
            cache.set(
                _key(request, query),
                {
                    "content": response.content,
                    "headers": {h: response[h] for h in STORED_HEADERS if h in response},
                },
                _seconds(),
            )
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        return bool(
            _seconds()
            and getattr(request, "page_cache_allowed", False)
            and _anonymous_request(request)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
