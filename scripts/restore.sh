#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and empty file folders.
#
#   DATABASE_URL=postgres://csafe:...@db:5432/csafe_restored \
#   CSAFE_MEDIA_ROOT=/var/lib/csafe/media CSAFE_EXPORT_ROOT=/var/lib/csafe/exports \
#   scripts/restore.sh /backups/csafe-2025-03-04
#
# Create the database first (createdb, or CREATE DATABASE). The script checks the backup's
# SHA-256 list, refuses a database that already has tables or folders that already hold files,
# and restores in one transaction, so a failure leaves the database empty. Stop web, worker and
# beat while restoring; start them (and run migrations, if the code is newer) afterwards.
set -euo pipefail
umask 077

usage() { echo "usage: DATABASE_URL=postgres://... $0 BACKUP_FOLDER" >&2; exit 2; }
[ $# -eq 1 ] || usage
src=$1
: "${DATABASE_URL:?set DATABASE_URL to the (empty) PostgreSQL database to restore into}"
media=${CSAFE_MEDIA_ROOT:-}
exported=${CSAFE_EXPORT_ROOT:-}

(cd "$src" && sha256sum --check --quiet SHA256SUMS) || {
  echo "the backup in $src is damaged or incomplete (SHA256SUMS does not match)" >&2
  exit 1
}

tables=$(psql "$DATABASE_URL" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [ "$tables" != "0" ]; then
  echo "the database already has $tables tables: restore into a new, empty database" >&2
  exit 1
fi
for folder in "$media" "$exported"; do
  if [ -n "$folder" ] && [ -d "$folder" ] && [ -n "$(ls -A "$folder")" ]; then
    echo "$folder already holds files: restore into an empty folder" >&2
    exit 1
  fi
done

pg_restore --dbname="$DATABASE_URL" --no-owner --no-privileges --exit-on-error \
  --single-transaction "$src/database.dump"

unpack() {  # unpack NAME FOLDER VARIABLE
  if [ -n "$2" ]; then
    mkdir -p "$2"
    tar --extract --file="$src/$1.tar" --directory="$2" --no-same-owner
  else
    echo "no folder given for $1 (set $3): its files were not restored" >&2
  fi
}
unpack media "$media" CSAFE_MEDIA_ROOT
unpack exports "$exported" CSAFE_EXPORT_ROOT
echo "restored $src"
