"""Redis cache that degrades instead of failing when Redis is away.

Everything we keep in the cache (page cache, menus, rate-limit counters, memoised lookups) can
be recomputed, so an unreachable Redis must cost speed, not availability: reads miss, writes
are dropped, and one warning per minute says so. Short socket timeouts keep a dead Redis from
holding a worker for long.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = [0.0]


def _degrade(fallback):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _FAILURES as exc:
                now = time.monotonic()
                if now - _last_warning[0] > 60:
                    _last_warning[0] = now
                    logger.warning("cache unavailable, serving uncached: %s", type(exc).__name__)
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _degrade(_default)(RedisCache.get)
    get_many = _degrade({})(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    set = _degrade(None)(RedisCache.set)
    set_many = _degrade(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _degrade(False)(RedisCache.add)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
    # A failed counter must not block the request (rate limits fail open while Redis is away).
    incr = _degrade(lambda key, delta=1, *a, **k: delta)(RedisCache.incr)
