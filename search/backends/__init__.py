"""Our search backends: the database (PostgreSQL FTS, SQLite FTS5), Elasticsearch 9 and
OpenSearch 3, all ``engine.SearchEngine``s; ``engine.run`` falls back to the database when an
external engine is down."""
