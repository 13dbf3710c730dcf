"""OpenSearch 3 with the same configuration as our Elasticsearch 9 backend.

Identical index settings, mapping and query fixes; the only switch is ``DANISH_ANALYSIS``
(default ``True``). Set it to ``False`` for servers without Danish analysis, such as the
in-memory ``osmem-server`` the test suite runs against (it rejects the ``danish`` analyzer and
its Danish stemmer filter matches everything): text is then folded and lower-cased only.
"""

from ._opensearchpy import import_opensearchpy

import_opensearchpy()

from wagtail.search.backends.opensearch3 import (  # noqa: E402
    OpenSearch3AutocompleteQueryCompiler,
    OpenSearch3Mapping,
    OpenSearch3SearchBackend,
    OpenSearch3SearchQueryCompiler,
)

from .common import (  # noqa: E402
    DanishSpellingsMixin,
    ExternalEngineMixin,
    FoldingAutocompleteMixin,
    FoldingMappingMixin,
    OutboxBackendMixin,
)


class NetworkOpenSearch3Mapping(FoldingMappingMixin, OpenSearch3Mapping):
    pass


class NetworkOpenSearch3SearchQueryCompiler(DanishSpellingsMixin, OpenSearch3SearchQueryCompiler):
    mapping_class = NetworkOpenSearch3Mapping


class NetworkOpenSearch3AutocompleteQueryCompiler(
    FoldingAutocompleteMixin, OpenSearch3AutocompleteQueryCompiler
):
    mapping_class = NetworkOpenSearch3Mapping


class NetworkOpenSearch3SearchBackend(
    OutboxBackendMixin, ExternalEngineMixin, OpenSearch3SearchBackend
):
    mapping_class = NetworkOpenSearch3Mapping
    query_compiler_class = NetworkOpenSearch3SearchQueryCompiler
    autocomplete_query_compiler_class = NetworkOpenSearch3AutocompleteQueryCompiler


SearchBackend = NetworkOpenSearch3SearchBackend
