#!/usr/bin/env bash
# Proves the backup procedure: demo site in a scratch database -> backup.sh -> restore.sh
# into a FRESH database -> the same pages, documents, users and media files are there and
# the restored site answers. Uses PostgreSQL at $PG_BASE (default postgres://root@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
PG_BASE="${PG_BASE:-postgres://root@127.0.0.1:5432}"
SRC_DB=netvaerk_prod_backup_src
DST_DB=netvaerk_prod_backup_restored
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"; dropdb --if-exists -h 127.0.0.1 -U root "$SRC_DB" 2>/dev/null; dropdb --if-exists -h 127.0.0.1 -U root "$DST_DB" 2>/dev/null' EXIT

dropdb --if-exists -h 127.0.0.1 -U root "$SRC_DB"; createdb -h 127.0.0.1 -U root "$SRC_DB"
dropdb --if-exists -h 127.0.0.1 -U root "$DST_DB"; createdb -h 127.0.0.1 -U root "$DST_DB"
mkdir -p "$WORK/media" "$WORK/media-restored"

export MEDIA_ROOT="$WORK/media"
DATABASE_URL="$PG_BASE/$SRC_DB" "$PY" manage.py migrate --noinput -v0
DATABASE_URL="$PG_BASE/$SRC_DB" "$PY" manage.py load_demo_content >/dev/null
# A members-only document, so the media archive is not empty.
DATABASE_URL="$PG_BASE/$SRC_DB" "$PY" manage.py shell -c "
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from resources.services import members_collection
d = Document(title='Backup-prøve', collection=members_collection())
d.file.save('backup-proeve.pdf', ContentFile(b'%PDF-1.4 backup'), save=False)
d.save()
"

count() {  # count <db> <sql>
  psql -h 127.0.0.1 -U root -d "$1" -tAc "$2"
}
QUERIES=(
  "select count(*) from wagtailcore_page"
  "select count(*) from wagtailcore_page where live"
  "select count(*) from wagtaildocs_document"
  "select count(*) from auth_user"
  "select count(*) from wagtailcore_pageviewrestriction"
)

mapfile -t FILES < <(DATABASE_URL="$PG_BASE/$SRC_DB" scripts/backup.sh "$WORK/backups")
DATABASE_URL="$PG_BASE/$DST_DB" MEDIA_ROOT="$WORK/media-restored" \
  scripts/restore.sh "${FILES[0]}" "${FILES[1]}" >/dev/null

status=0
for q in "${QUERIES[@]}"; do
  before="$(count "$SRC_DB" "$q")"; after="$(count "$DST_DB" "$q")"
  printf '%-60s source=%-5s restored=%-5s\n' "$q" "$before" "$after"
  if [ "$before" != "$after" ] || [ "$before" = "" ]; then status=1; fi
done
pages="$(count "$DST_DB" "select count(*) from wagtailcore_page")"
if [ "$pages" -lt 5 ]; then echo "too few pages restored: $pages"; status=1; fi

src_files="$(find "$WORK/media" -type f -path '*documents*' | wc -l)"
dst_files="$(find "$WORK/media-restored" -type f -path '*documents*' | wc -l)"
printf '%-60s source=%-5s restored=%-5s\n' "document files" "$src_files" "$dst_files"
[ "$src_files" = "$dst_files" ] && [ "$src_files" -ge 1 ] || status=1

# The restored database serves the home page.
code="$(DATABASE_URL="$PG_BASE/$DST_DB" MEDIA_ROOT="$WORK/media-restored" "$PY" manage.py shell -c "
from django.test import Client
print(Client().get('/').status_code)
" | tail -1)"
echo "restored site home page: HTTP $code"
[ "$code" = "200" ] || status=1

[ "$status" = 0 ] && echo "BACKUP/RESTORE OK" || echo "BACKUP/RESTORE FAILED"
exit "$status"
