"""The one interface ``search.services`` asks of a search backend, and the fallback.

Every backend we configure (``search.backends.database``, ``elasticsearch9``, ``opensearch3``)
is a ``SearchEngine``: it answers ``ranked_ids`` (the ids of the matching pages, best first,
without loading them) and ``autocomplete_ids``. How each engine gets there fast is its own
business; services never look at a backend's or a result's class.

``run`` calls an external engine (Elasticsearch, OpenSearch) and, if it fails or failed
moments ago, the database backend instead, telling the caller so the page can say that
results may be less good than usual. A failure opens the project's circuit breaker
(``core.circuit_breaker``) for ``BREAKER_SECONDS``: while it is open nobody waits for the
engine, so a hung engine costs one request one short timeout (``SEARCH_TIMEOUT``) per
``BREAKER_SECONDS``, not every request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from wagtail.search.backends import get_search_backend

from core import circuit_breaker

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Seconds a search may wait for an external engine (connecting included) before the page
# falls back to the database; searches answer in milliseconds on a healthy engine.
SEARCH_TIMEOUT = 2.0
# Seconds after a failure during which searches go straight to the database.
BREAKER_SECONDS = 30.0
FALLBACK_ALIAS = "database"
MAX_RANKED_IDS = 10_000


class SearchEngine:
    """What every search backend of ours answers. Generic versions that work on any
    modelsearch backend; our backends override them with faster ones."""

    # Reached over the network, so it may be down: searches then fall back to the database.
    external = False

    def ranked_ids(
        self, queryset, query, *, operator="and", limit=MAX_RANKED_IDS, shape=None
    ) -> list[int]:
        """Ids of ``queryset`` matching ``query``, best first, at most ``limit``.

        ``shape``, when given, names all that ``queryset``'s SQL depends on (its models,
        locale, the paths the reader may not see): a database engine may then compile its
        statements once per shape (``search.services.sql.prepared``)."""
        return [obj.pk for obj in self.search(query, queryset, operator=operator)[:limit]]

    def autocomplete_ids(self, queryset, query, *, limit: int) -> list[int]:
        """Ids of ``queryset`` whose autocomplete fields start with the words typed."""
        return [obj.pk for obj in self.autocomplete(query, queryset)[:limit]]

    def suggest(self, queryset, query: str) -> str | None:
        """A spelling the index knows for a query that found nothing (None: no idea)."""
        return None


class _AnyBackend(SearchEngine):
    """A modelsearch backend that is not one of ours (a project that configures one)."""

    def __init__(self, backend):
        self._backend = backend

    def __getattr__(self, name):
        return getattr(self._backend, name)


def get_engine(alias: str = "default") -> SearchEngine:
    backend = get_search_backend(alias)
    return backend if isinstance(backend, SearchEngine) else _AnyBackend(backend)


def fallback_engine() -> SearchEngine:
    """The database backend: the configured ``database`` alias (kept up to date next to an
    external engine), else one built on the spot (its index may then be empty)."""
    if FALLBACK_ALIAS in settings.WAGTAILSEARCH_BACKENDS:
        return get_engine(FALLBACK_ALIAS)
    return get_engine("search.backends.database")


# One per process (core.circuit_breaker): a failure makes every search skip the engine for
# BREAKER_SECONDS; then one search probes it while the others still use the database.
breaker = circuit_breaker.breaker("search engine", reset_after=BREAKER_SECONDS)


@dataclass
class Outcome:
    value: object
    degraded: bool  # the external engine was unavailable: the database answered


def run(operation: Callable[[SearchEngine], T]) -> Outcome:
    """``operation`` on the configured engine, or on the database backend if that is an
    external engine that is down (``degraded``)."""
    engine = get_engine()
    if not engine.external:
        return Outcome(operation(engine), degraded=False)
    if breaker.allow():
        try:
            value = operation(engine)
        except Exception as exc:  # any failure of the engine: the visitor still gets results
            logger.warning("Search engine unavailable; using the database", exc_info=True)
            breaker.record_failure(exc)
        else:
            breaker.record_success()
            return Outcome(value, degraded=False)
    return Outcome(operation(fallback_engine()), degraded=True)


def engine_status() -> str:
    """For /healthz: "ok", "degraded" (an external engine is unreachable, searches use the
    database) or "database" (no external engine configured)."""
    engine = get_engine()
    if not engine.external:
        return "database"
    try:
        alive = engine.ping(timeout=SEARCH_TIMEOUT)
    except Exception:
        alive = False
    if not alive:
        breaker.record_failure()
        return "degraded"
    breaker.record_success()
    return "ok"
