#!/usr/bin/env bash
# Back up the database (pg_dump custom format) and the media folder (tar.gz).
#
#   DATABASE_URL=postgres://... MEDIA_ROOT=/srv/netvaerk/media scripts/backup.sh [BACKUP_DIR]
#
# Writes <dir>/netvaerk-<UTC timestamp>.dump and .media.tar.gz and prints both paths.
# Consistent: pg_dump takes a snapshot; media files are only ever added by Wagtail (a
# file deleted between the two steps is harmless, a new one is just not yet referenced).
set -euo pipefail
: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
cd "$(dirname "$0")/.."
BACKUP_DIR="${1:-${BACKUP_DIR:-backups}}"
MEDIA_ROOT="${MEDIA_ROOT:-media}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
umask 077  # dumps hold members' personal data

DUMP="$BACKUP_DIR/netvaerk-$STAMP.dump"
MEDIA="$BACKUP_DIR/netvaerk-$STAMP.media.tar.gz"

pg_dump --format=custom --no-owner --no-privileges --file="$DUMP" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  # Renditions are derived data: Wagtail regenerates them on demand.
  tar -czf "$MEDIA" -C "$MEDIA_ROOT" --exclude="./images" .
else
  tar -czf "$MEDIA" --files-from /dev/null
fi
pg_restore --list "$DUMP" >/dev/null  # fail now, not on restore day, if the dump is unreadable

echo "$DUMP"
echo "$MEDIA"
