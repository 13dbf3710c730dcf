"""Our Elasticsearch 9 and OpenSearch 3 backends (see ``common`` for what they add)."""
