"""Full-page cache for anonymous visitors, purged whenever the page tree changes.

Only responses produced by Wagtail for a page that an anonymous visitor may open are stored
(the ``before_serve_page`` hook marks them), and only when nothing personal went into them: no
CSRF token, no cookie set, no flash message. Logged-in visitors never read from or write to it,
and every response to a logged-in visitor is marked ``Cache-Control: private`` so no shared
cache (proxy, CDN) keeps it either.

Purging bumps a generation number stored in the cache itself, so it reaches every worker
that shares the cache (Redis in production). ``purge_page`` does the same for one URL path
only, for changes that show on a single page (an event's free seats). Enabled with
``PAGE_CACHE_SECONDS`` > 0.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

GENERATION_KEY = "page-cache:generation"
PATH_GENERATION_PREFIX = "page-cache:path-generation:"
STORED_HEADERS = ("Content-Type", "Content-Language", "Link")


def _seconds() -> int:
    return int(settings.PAGE_CACHE_SECONDS)


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def purge() -> None:
    """Invalidate every cached page (listings change whenever any page does)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _path_generation_key(path: str) -> str:
    return PATH_GENERATION_PREFIX + hashlib.sha256(path.encode()).hexdigest()


def purge_page(page) -> None:
    """Invalidate the cached copies of one page (every query string and host), nothing else.

    For changes that show on that page alone, such as the free seats of an event; anything
    that also changes listings must use ``purge``. The new generation is a timestamp, so a
    generation lost from the cache can never come back as a number in use before.
    """
    url_parts = page.get_url_parts()
    if url_parts is None:  # not routable: nothing of it is cached
        return
    cache.set(_path_generation_key(url_parts[2]), time.time_ns(), timeout=None)


def remember(key: str, compute, timeout: int = 3600):
    """Cache ``compute()`` under ``key`` until the next purge (any publish, move or delete).

    Used for the site chrome (menu, locale roots, translations) that every page renders.
    """
    full_key = f"page-cache:{_generation()}:chrome:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout)
    return value


def _key(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
    digest = hashlib.sha256(raw.encode()).hexdigest()
    path_key = _path_generation_key(request.path)
    generations = cache.get_many([GENERATION_KEY, path_key])  # one round trip to Redis
    generation = generations.get(GENERATION_KEY) or _generation()
    return f"page-cache:{generation}:{generations.get(path_key, 0)}:{digest}"


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
        if _seconds() and _anonymous_request(request):
            cached = cache.get(_key(request))
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
        elif self._storable(request, response):
            cache.set(
                _key(request),
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
