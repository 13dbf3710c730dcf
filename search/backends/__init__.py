"""Our search backends: Elasticsearch 9 and OpenSearch 3 (see ``common`` for what they add),
and the fast ranked ids of modelsearch's database backends (``database``)."""
