#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an (empty or existing) database.
#
#   DATABASE_URL=postgres://.../netvaerk_restored MEDIA_ROOT=/srv/netvaerk/media \
#     scripts/restore.sh backups/netvaerk-<stamp>.dump [backups/netvaerk-<stamp>.media.tar.gz]
#
# Existing objects are dropped first (--clean --if-exists), so restoring twice is safe.
# Afterwards run `manage.py migrate` (no-op unless the code is newer than the backup) and
# rebuild the search index (`manage.py update_index`) when an external engine is used.
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to restore into}"
DUMP="${1:?path to the .dump file}"
MEDIA_TAR="${2:-}"
MEDIA_ROOT="${MEDIA_ROOT:-$(dirname "$0")/../media}"

pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error \
  --dbname="$DATABASE_URL" "$DUMP"
if [ -n "$MEDIA_TAR" ]; then
  mkdir -p "$MEDIA_ROOT"
  tar -xzf "$MEDIA_TAR" -C "$MEDIA_ROOT"
fi
echo "restored $DUMP${MEDIA_TAR:+ and $MEDIA_TAR}"
