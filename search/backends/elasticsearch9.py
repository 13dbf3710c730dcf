"""Elasticsearch 9 with Danish analysis, folded autocomplete queries and the index outbox.

WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.elasticsearch9", ...}}
"""

from wagtail.search.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
)

from .common import (
    DanishSpellingsMixin,
    ExternalEngineMixin,
    FoldingAutocompleteMixin,
    FoldingMappingMixin,
    OutboxBackendMixin,
)


class NetworkElasticsearch9Mapping(FoldingMappingMixin, Elasticsearch9Mapping):
    pass


class NetworkElasticsearch9SearchQueryCompiler(
    DanishSpellingsMixin, Elasticsearch9SearchQueryCompiler
):
    mapping_class = NetworkElasticsearch9Mapping


class NetworkElasticsearch9AutocompleteQueryCompiler(
    FoldingAutocompleteMixin, Elasticsearch9AutocompleteQueryCompiler
):
    mapping_class = NetworkElasticsearch9Mapping


class NetworkElasticsearch9SearchBackend(
    OutboxBackendMixin, ExternalEngineMixin, Elasticsearch9SearchBackend
):
    mapping_class = NetworkElasticsearch9Mapping
    query_compiler_class = NetworkElasticsearch9SearchQueryCompiler
    autocomplete_query_compiler_class = NetworkElasticsearch9AutocompleteQueryCompiler


SearchBackend = NetworkElasticsearch9SearchBackend
