"""Redis cache behind a circuit breaker: an unreachable or hung Redis costs speed, not pages.

Everything we keep in the cache (page cache, menus, rate-limit counters, memoised lookups) can
be recomputed, so a Redis that refuses connections, times out or is still loading its
snapshot makes reads miss and writes drop, and the process's breaker (core/circuit_breaker.py)
skips Redis altogether for ``circuit_breaker_reset_after`` seconds after the first failure.
Socket timeouts are short and redis-py's retries are off, so that first failure costs a
fraction of a second, once per process, instead of every cache call waiting it out.

Rate limits fail open while Redis is away (a counter that cannot be read never blocks
anyone); the outage is logged once when the breaker opens and once when it closes.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

from .circuit_breaker import CircuitOpen, breaker

# BusyLoadingError (Redis still reading its snapshot) is a ConnectionError.
REDIS_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.25,
    "socket_timeout": 0.5,
    # One attempt per call: the breaker, not a retry loop, decides when to try again.
    "retry": Retry(NoBackoff(), 0),
}


def _guarded(fallback):
    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return self.breaker.call(method, self, *args, failures=REDIS_FAILURES, **kwargs)
            except (CircuitOpen, *REDIS_FAILURES):
                return fallback(*args, **kwargs) if callable(fallback) else fallback

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


def _address(server) -> str:
    """``host:port/db`` of the first server, without credentials (the name goes to logs)."""
    first = server if isinstance(server, str) else server[0]
    parts = urlsplit(first.split(",")[0].split(";")[0])
    return f"{parts.hostname}:{parts.port or 6379}{parts.path}"


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client that keeps one ``redis.Redis`` per connection pool.

    Django builds a new ``redis.Redis`` on every cache call, and its constructor (response
    callbacks, option parsing) cost about as much as the round trip of a page-cache hit. The
    client holds no state of its own beyond the pool, which is shared anyway.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class CircuitBreakerRedisCache(RedisCache):
    """Django's RedisCache that misses instead of failing, and stops trying for a while."""

    def __init__(self, server, params):
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        reset_after = float(options.pop("circuit_breaker_reset_after", 15))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        # One breaker per Redis location, shared by the per-thread cache instances.
        self.breaker = breaker(f"Redis cache {_address(server)}", reset_after=reset_after)

    get = _guarded(_default)(RedisCache.get)
    get_many = _guarded({})(RedisCache.get_many)
    has_key = _guarded(False)(RedisCache.has_key)
    set = _guarded(None)(RedisCache.set)
    set_many = _guarded(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _guarded(False)(RedisCache.add)
    touch = _guarded(False)(RedisCache.touch)
    delete = _guarded(False)(RedisCache.delete)
    delete_many = _guarded(None)(RedisCache.delete_many)
    clear = _guarded(False)(RedisCache.clear)
    incr = _guarded(lambda key, delta=1, *a, **k: delta)(RedisCache.incr)
