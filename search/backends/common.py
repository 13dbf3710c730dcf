"""What our Elasticsearch 9 and OpenSearch 3 backends add to modelsearch's.

* Danish analysis as the index's ``default`` analyzer (stop words, Snowball stemmer, then
  accent folding), defined here in code so both engines get the same index settings.
* The fix for the upstream autocomplete bug: indexed edge n-grams are accent-folded
  (``asciifolding``) but the query was analysed with ``standard`` only, so prefixes with
  æ/ø/å ("smø", "Køb") never matched. We fold the query twice over: the edge-n-gram fields
  get a folding ``search_analyzer`` (helps every client of the index) and the autocomplete
  query compiler folds the query string itself (works even on an index built before).
* Failed index updates are not just logged: they go to the ``IndexOutbox`` and a periodic
  task retries them (``search.index_health``). The index writes that follow a save get a short
  timeout of their own (``SAVE_TIMEOUT``, no retries), so an engine that hangs rather than
  refuses holds a save up for seconds, not ``TIMEOUT`` per write.
"""

from __future__ import annotations

import copy
import logging
import unicodedata

from modelsearch.utils import deep_update

from .. import text
from .engine import SEARCH_TIMEOUT, SearchEngine

logger = logging.getLogger(__name__)

# Letters NFKD cannot decompose, folded the way Lucene's ASCIIFoldingFilter folds them.
_SPECIAL_FOLDS = str.maketrans(
    {
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
    }
)


def fold_accents(text: str) -> str:
    """Fold accented letters to ASCII like Elasticsearch's ``asciifolding`` (å→a, ø→o, æ→ae)."""
    text = text.translate(_SPECIAL_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


AUTOCOMPLETE_QUERY_ANALYZER = "autocomplete_query"
# Seconds an index write after a save may take (connecting included) before it is left to the
# outbox. A single-document write takes milliseconds on a healthy engine.
SAVE_TIMEOUT = 2.0


def index_settings(*, danish: bool = True) -> dict:
    """Our analysis settings, merged over modelsearch's (which define the edge-n-gram analyzer).

    ``danish=False`` keeps everything but the Danish stop words and stemmer: for servers that
    cannot do Danish analysis (the in-memory ``osmem-server`` used in tests).
    """
    default_filters = ["lowercase"]
    if danish:
        # Stem before folding: the Snowball rules are written for æ, ø and å.
        default_filters += ["danish_stop", "danish_stemmer"]
    default_filters.append("asciifolding")
    analysis = {
        "analyzer": {
            "default": {"type": "custom", "tokenizer": "standard", "filter": default_filters},
            AUTOCOMPLETE_QUERY_ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["asciifolding", "lowercase"],
            },
        },
    }
    if danish:
        analysis["filter"] = {
            "danish_stop": {"type": "stop", "stopwords": "_danish_"},
            "danish_stemmer": {"type": "stemmer", "language": "danish"},
        }
    return {"settings": {"analysis": analysis}}


class FoldingMappingMixin:
    """Edge-n-gram fields are searched with a folding analyzer, like they are indexed."""

    edgengram_analyzer_config = {
        "analyzer": "edgengram_analyzer",
        "search_analyzer": AUTOCOMPLETE_QUERY_ANALYZER,
    }


def _any_spelling(compile_one, query, spell):
    """One query per spelling (``text.danish_spellings``), any of which may match."""
    compiled = []
    for spelling in text.danish_spellings(query.query_string):
        variant = copy.copy(query)
        variant.query_string = spell(spelling)
        compiled.append(compile_one(variant))
    if len(compiled) == 1:
        return compiled[0]
    return {"bool": {"should": compiled, "minimum_should_match": 1}}


class DanishSpellingsMixin:
    """ "boern" and "vaage" (typed on a foreign keyboard) find "børn" and "våge": the query is
    sent as typed and with ae/oe/aa read as æ/ø/å, and the engine's Danish analysis stems
    each."""

    def _compile_plaintext_query(self, query, fields, boost=1.0):
        parent = super()._compile_plaintext_query
        return _any_spelling(lambda q: parent(q, fields, boost), query, lambda s: s)


class FoldingAutocompleteMixin:
    """Fold the autocomplete query string before it is sent (the upstream bug fix), for every
    Danish spelling of what was typed ("boer" also as "bør", folded like the index: "bor")."""

    def _compile_plaintext_query(self, query, fields, boost=1.0):
        parent = super()._compile_plaintext_query
        return _any_spelling(lambda q: parent(q, fields, boost), query, fold_accents)


class OutboxBackendMixin:
    """Record failed index writes in the outbox so they are retried, never lost.

    modelsearch calls ``add``/``delete`` from its signal handlers (inline without a broker,
    else in the worker) and only logs errors for external engines (``catch_indexing_errors``);
    saving content therefore never fails because the engine is down. We re-raise so that
    logging still happens. These writes use ``save_client``: ``SAVE_TIMEOUT`` seconds, no
    retries; searches, rebuilds and the outbox retry keep the configured ``TIMEOUT``.
    """

    def __init__(self, params):
        params = dict(params)
        # The foundation settings name the index prefix "INDEX"; modelsearch calls it INDEX_PREFIX.
        if "INDEX" in params and "INDEX_PREFIX" not in params:
            params["INDEX_PREFIX"] = f"{params.pop('INDEX')}_"
        params.pop("INDEX", None)
        self.danish_analysis = bool(params.pop("DANISH_ANALYSIS", True))
        self.save_timeout = float(params.pop("SAVE_TIMEOUT", SAVE_TIMEOUT))
        # Ours go over modelsearch's; explicit INDEX_SETTINGS from the settings win over ours.
        params["INDEX_SETTINGS"] = deep_update(
            index_settings(danish=self.danish_analysis), params.get("INDEX_SETTINGS", {})
        )
        super().__init__(params)
        self.save_client = _client_with_timeout(self.es, self.save_timeout)

    def _index_for_save(self, obj):
        index = self.get_index_for_object(obj)
        index.es = self.save_client
        return index

    def add(self, obj):
        try:
            self._index_for_save(obj).add_item(obj)
        except Exception as exc:
            _record_failure(obj, "update", exc)
            raise

    def delete(self, obj):
        try:
            self._index_for_save(obj).delete_item(obj)
        except Exception as exc:
            _record_failure(obj, "delete", exc)
            raise

    # Used by the outbox retry: errors propagate and nothing is recorded twice.
    def index_object_now(self, obj):
        super().add(obj)

    def unindex_object_now(self, obj):
        super().delete(obj)


def _client_with_timeout(client, timeout: float):
    """``client`` with every request limited to ``timeout`` seconds and never retried.

    The timeout covers connecting and each wait for the answer (urllib3 applies it to both),
    so a host that drops packets and one that accepts but never answers fail alike.
    """
    if hasattr(client, "options"):  # elasticsearch-py 8+: per-client transport options
        return client.options(request_timeout=timeout, max_retries=0, retry_on_timeout=False)
    return _OpenSearchWithTimeout(client, timeout)


class _OpenSearchWithTimeout:
    """opensearch-py has no ``options()``: pass ``request_timeout`` to the single-document
    writes our index classes make (``index``, ``delete``), searches and pings; anything else
    goes straight through.
    Timeouts are not retried (``retry_on_timeout`` is off unless OPTIONS turn it on)."""

    def __init__(self, client, timeout: float):
        self._client = client
        self._timeout = timeout

    def index(self, **kwargs):
        return self._client.index(request_timeout=self._timeout, **kwargs)

    def delete(self, **kwargs):
        return self._client.delete(request_timeout=self._timeout, **kwargs)

    def search(self, **kwargs):
        return self._client.search(request_timeout=self._timeout, **kwargs)

    def ping(self, **kwargs):
        return self._client.ping(request_timeout=self._timeout, **kwargs)

    def __getattr__(self, name):
        return getattr(self._client, name)


def _record_failure(obj, action: str, exc: Exception) -> None:
    try:
        from search.index_health import record_failed_index_update

        record_failed_index_update(obj, action, exc)
    except Exception:  # the outbox must never turn a save into an error
        logger.exception("Could not record failed index %s of %r in the outbox", action, obj)


class ExternalEngineMixin(SearchEngine):
    """The ``SearchEngine`` answers of Elasticsearch and OpenSearch: just the ranked primary
    keys (no model instances), asked with a short timeout and no retries (``search_client``)
    so that a dead or hung engine lets the page fall back to the database quickly.

    The library search filters, counts facets and paginates with the ORM on these ids, the
    same way on every backend. Elasticsearch's default result window caps this at 10,000.
    """

    external = True
    MAX_RANKED_IDS = 10_000

    def __init__(self, params):
        params = dict(params)
        self.search_timeout = float(params.pop("SEARCH_TIMEOUT", SEARCH_TIMEOUT))
        super().__init__(params)
        self.search_client = _client_with_timeout(self.es, self.search_timeout)

    def _ids(self, results, limit: int) -> list[int]:
        if not hasattr(results, "_get_es_body"):  # EmptySearchResults
            return []
        body = results._get_es_body()
        # What modelsearch's ``_backend_do_search`` does, through the short-timeout client.
        body = body if self.use_new_elasticsearch_api else {"body": body}
        response = self.search_client.search(
            **body,
            index=self.get_index_for_model(results.query_compiler.queryset.model).name,
            _source=False,
            stored_fields="pk",
            from_=0,
            size=min(limit, self.MAX_RANKED_IDS),
        )
        return [int(hit["fields"]["pk"][0]) for hit in response["hits"]["hits"]]

    def ranked_ids(
        self, queryset, query, *, operator="and", limit=MAX_RANKED_IDS, shape=None
    ) -> list[int]:
        return self._ids(self.search(query, queryset, operator=operator), limit)

    def autocomplete_ids(self, queryset, query, *, limit: int) -> list[int]:
        return self._ids(self.autocomplete(query, queryset), limit)

    def ping(self, *, timeout: float) -> bool:
        return bool(_client_with_timeout(self.es, timeout).ping())
