"""Make full-text matching and ranking on PostgreSQL fast at any size of hit list.

* A pending list of at most 256 kB (``gin_pending_list_limit``) on our GIN index on
  ``title || body`` (0002): new and changed entries wait in that list, which every search scans
  linearly, until it is merged into the index; at the default 4 MB that took a 3,400-hit search
  from 35 ms to 270 ms. 256 kB holds about 50 entries and costs a search 1-2 ms at most, while
  keeping most of what the list saves a full ``update_index`` (``fastupdate = off``, no list
  at all, made it 15 % slower still).
* ``site_search_matches(query, weights)``: the index entries matching ``query`` with
  modelsearch's rank (``ts_rank`` on title times ``title_norm`` plus ``ts_rank`` on body).
  Evaluating ``title || body`` row by row costs far more than the planner's estimate, so for a
  word in half the documents it preferred a sequential scan (190 ms instead of 30 ms at 12,000
  pages). ``SET enable_seqscan = off`` holds for this function's query only.
* ``title`` and ``body`` stored ``MAIN`` (compressed in the row) instead of ``EXTENDED``: a
  body vector is about 2.4 kB compressed, just over the 2 kB at which PostgreSQL moves values
  to the TOAST table, and ranking then fetched every match's vectors from there (ranking 5,900
  matches: 23 ms, 10 ms in the row). Applies to entries written from now on; ``update_index``
  rewrites them all.

All PostgreSQL only; elsewhere the migration does nothing.
"""

from django.db import migrations

INDEX = "site_search_indexentry_title_body_gin"

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION site_search_matches(query tsquery, weights real[])
RETURNS TABLE (content_type_id integer, object_id varchar, rank double precision)
LANGUAGE sql STABLE
SET enable_seqscan = off
AS $$
    SELECT entry.content_type_id,
           entry.object_id,
           ts_rank(weights, entry.title, query) * entry.title_norm
           + ts_rank(weights, entry.body, query)
    FROM wagtailsearch_indexentry AS entry
    WHERE (entry.title || entry.body) @@ query
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {INDEX} SET (gin_pending_list_limit = 256)")
    # A longer list already pending stays until merged: merge it now.
    schema_editor.execute(f"SELECT gin_clean_pending_list('{INDEX}'::regclass)")
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        "ALTER TABLE wagtailsearch_indexentry "
        "ALTER COLUMN title SET STORAGE MAIN, ALTER COLUMN body SET STORAGE MAIN"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE wagtailsearch_indexentry "
        "ALTER COLUMN title SET STORAGE EXTENDED, ALTER COLUMN body SET STORAGE EXTENDED"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS site_search_matches(tsquery, real[])")
    schema_editor.execute(f"ALTER INDEX {INDEX} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("site_search", "0002_indexentry_title_body_gin")]

    operations = [migrations.RunPython(forwards, backwards)]
